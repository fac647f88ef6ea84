using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Lims.Collections;
using Lims.Storage;

namespace Lims.OData.Query;

/// <summary>
/// The columns an entity row is read from (key, document text, row version, and the order values a skip token
/// carries), with the readers of those columns. Statements add their own columns through <see cref="List"/>.
/// </summary>
public sealed class EntityColumns
{
    private readonly CollectionDefinition _collection;
    private readonly int _key;
    private readonly int _document;
    private readonly int _version;
    private readonly int[] _order;

    public EntityColumns(CollectionDefinition collection, string alias, IEnumerable<string> orderValues)
    {
        _collection = collection;
        _key = List.Add($"{alias}.id");
        _document = List.Add($"{alias}.doc");
        _version = List.Add($"{alias}.row_version");
        _order = [.. orderValues.Select(o => List.Add(o))];
    }

    public SelectList List { get; } = new();

    public object Key(DbDataReader reader) => StoreSession.KeyValue(_collection, reader.GetValue(_key));

    /// <summary>The stored document text, exactly as the database holds it.</summary>
    public string DocumentText(DbDataReader reader) => reader.GetString(_document);

    public long Version(DbDataReader reader) => reader.GetInt64(_version);

    public ResultRow Row(DbDataReader reader) => new(Key(reader), JsonDocument.Parse(DocumentText(reader)), Version(reader));

    /// <summary>The order-by values of the row, as plain JSON-able values for the skip token.</summary>
    public List<object?> OrderValues(DbDataReader reader) => [.. _order.Select(i => reader.IsDBNull(i) ? null : Normalize(reader.GetValue(i)))];

    public static long Int64(DbDataReader reader, int column) => Convert.ToInt64(reader.GetValue(column), CultureInfo.InvariantCulture);

    // Databases return booleans and integers in their own types; the token holds plain JSON values.
    private static object Normalize(object value) => value switch
    {
        int i => (long)i,
        float f => (double)f,
        decimal d => (double)d,
        _ => value,
    };
}
