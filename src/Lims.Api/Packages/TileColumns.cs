using System.Text.Json;
using System.Text.Json.Nodes;
using Lims.Collections;
using Lims.Collections.Definitions;
using Parquet;
using Parquet.Schema;

namespace Lims.Packages;

/// <summary>
/// The Parquet columns of a tile, one per field of the Tiles definition: integers as INT64, numbers as DOUBLE,
/// booleans as BOOLEAN, text and date-times as UTF-8 strings (date-times in the stored ISO text, exact to 100 ns),
/// structured fields as JSON text. Undeclared keys a client sent go to one <c>_extra</c> JSON column, so nothing is lost.
/// </summary>
public static class TileColumns
{
    public const string ExtraColumn = "_extra";

    public static IReadOnlyList<ColumnBuffer> Create() =>
        [.. Tiles.Definition.AllFields.Select(ColumnBuffer.For), new JsonColumn(ExtraColumn, isExtra: true)];

    public static ParquetSchema Schema(IReadOnlyList<ColumnBuffer> columns) => new(columns.Select(c => (Field)c.Field));
}

/// <summary>One column's values for the row group being written or read.</summary>
public abstract class ColumnBuffer
{
    public abstract DataField Field { get; }

    public abstract int Count { get; }

    /// <summary>Takes this column's value from a stored tile.</summary>
    public abstract void Add(JsonElement tile);

    public abstract Task WriteAsync(ParquetRowGroupWriter writer, CancellationToken ct);

    public abstract Task ReadAsync(ParquetRowGroupReader reader, int rows, CancellationToken ct);

    /// <summary>Puts row <paramref name="row"/>'s value into <paramref name="tile"/> (nothing when null).</summary>
    public abstract void Fill(JsonObject tile, int row);

    public abstract void Clear();

    public static ColumnBuffer For(FieldDefinition field) => field.Type switch
    {
        PrimitiveType { Kind: PrimitiveKind.Int } => new ValueColumn<long>(field.Name, e => e.GetInt64()),
        PrimitiveType { Kind: PrimitiveKind.Float } => new ValueColumn<double>(field.Name, e => e.GetDouble()),
        PrimitiveType { Kind: PrimitiveKind.Bool } => new ValueColumn<bool>(field.Name, e => e.GetBoolean()),
        PrimitiveType => new StringColumn(field.Name),
        _ => new JsonColumn(field.Name, isExtra: false),
    };
}

internal sealed class ValueColumn<T>(string name, Func<JsonElement, T> read) : ColumnBuffer where T : struct
{
    private readonly DataField<T?> _field = new(name, nullable: true);
    private T?[] _values = [];
    private int _count;

    public override DataField Field => _field;
    public override int Count => _count;

    public override void Add(JsonElement tile)
    {
        Grow();
        _values[_count++] = tile.TryGetProperty(_field.Name, out var value) && value.ValueKind != JsonValueKind.Null ? read(value) : null;
    }

    public override Task WriteAsync(ParquetRowGroupWriter writer, CancellationToken ct) =>
        writer.WriteAsync<T>(_field, _values.AsMemory(0, _count), null, null, ct);

    public override async Task ReadAsync(ParquetRowGroupReader reader, int rows, CancellationToken ct)
    {
        _values = new T?[rows];
        _count = rows;
        await reader.ReadAsync<T>(_field, _values.AsMemory(), null, ct);
    }

    public override void Fill(JsonObject tile, int row)
    {
        if (_values[row] is { } value)
        {
            tile[_field.Name] = JsonValue.Create(value);
        }
    }

    public override void Clear() => _count = 0;

    private void Grow()
    {
        if (_count == _values.Length)
        {
            Array.Resize(ref _values, Math.Max(1024, _values.Length * 2));
        }
    }
}

/// <summary>Text columns: strings and date-times as stored, or structured values as JSON text.</summary>
internal class StringColumn(string name) : ColumnBuffer
{
    private readonly DataField<string> _field = new(name, nullable: true);
    private readonly List<string?> _values = [];

    public override DataField Field => _field;
    public override int Count => _values.Count;

    public override void Add(JsonElement tile) =>
        AddText(tile.TryGetProperty(_field.Name, out var value) && value.ValueKind != JsonValueKind.Null ? Text(value) : null);

    protected void AddText(string? text) => _values.Add(text);

    protected virtual string Text(JsonElement value) => value.GetString()!;

    protected virtual JsonNode Node(string text) => JsonValue.Create(text);

    public override Task WriteAsync(ParquetRowGroupWriter writer, CancellationToken ct) => writer.WriteAsync(_field, _values!, null);

    public override async Task ReadAsync(ParquetRowGroupReader reader, int rows, CancellationToken ct)
    {
        // Read raw: non-null values packed first, then spread over the rows by their definition levels.
        var packed = new ReadOnlyMemory<char>[rows];
        var levels = new int[rows];
        await reader.ReadRawAsync(_field, packed.AsMemory(), levels.AsMemory(), null, ct);
        _values.Clear();
        var next = 0;
        for (var row = 0; row < rows; row++)
        {
            _values.Add(levels[row] < _field.MaxDefinitionLevel ? null : new string(packed[next++].Span));
        }
    }

    public override void Fill(JsonObject tile, int row)
    {
        if (_values[row] is { } text)
        {
            tile[_field.Name] = Node(text);
        }
    }

    public override void Clear() => _values.Clear();
}

/// <summary>A structured field as JSON text; or, for <see cref="TileColumns.ExtraColumn"/>, the undeclared keys as one object.</summary>
internal sealed class JsonColumn(string name, bool isExtra) : StringColumn(name)
{
    public override void Add(JsonElement tile)
    {
        if (!isExtra)
        {
            base.Add(tile);
            return;
        }
        var extra = new JsonObject();
        foreach (var property in tile.EnumerateObject().Where(p => Tiles.Definition.Find(p.Name) is null))
        {
            extra[property.Name] = JsonNode.Parse(property.Value.GetRawText());
        }
        AddText(extra.Count == 0 ? null : extra.ToJsonString());
    }

    protected override string Text(JsonElement value) => value.GetRawText();

    protected override JsonNode Node(string text) => JsonNode.Parse(text)!;

    public override void Fill(JsonObject tile, int row)
    {
        if (!isExtra)
        {
            base.Fill(tile, row);
            return;
        }
        var holder = new JsonObject();
        base.Fill(holder, row);
        if (holder[Field.Name] is JsonObject extra)
        {
            foreach (var (key, value) in extra.ToList())
            {
                extra.Remove(key);
                tile[key] = value;
            }
        }
    }
}
