using System.Data.Common;
using Lims.Collections;

namespace Lims.Storage;

/// <summary>
/// What differs between the two databases: connections, DDL, JSON access and list parameters.
/// Everything else in storage and query compilation is shared.
/// </summary>
public abstract class SqlDialect
{
    public abstract string Name { get; }

    public abstract DbConnection CreateConnection(string connectionString);

    /// <summary>The configured connection string with the dialect's defaults added (settings the operator gave win).</summary>
    public virtual string WithDefaults(string connectionString) => connectionString;

    /// <summary>Creates the table with its fixed columns (key, document, row version) if it is missing.</summary>
    public abstract string CreateTable(CollectionDefinition collection);

    /// <summary>Adds a typed column generated from the document (the document stays the one source of truth).</summary>
    public abstract string AddColumn(CollectionDefinition collection, TypedColumn column);

    /// <summary>An index's column: PostgreSQL builds nullable ones NULLS FIRST, so one index serves OData's ascending and descending orders.</summary>
    protected virtual string IndexColumn(string column) => Quote(column);

    /// <summary>Whether FROM items may refer to earlier ones (LATERAL), so a per-parent page can be its own limited sub-query.</summary>
    public virtual bool HasLateralJoin => false;

    /// <summary>Whether the store keeps the aggregates of <see cref="CollectionDefinition.Summary"/> current.</summary>
    public virtual bool KeepsSummaries => false;

    /// <summary>DDL of a collection's summary table and what keeps it current (none where summaries are not kept).</summary>
    public virtual IEnumerable<string> SummaryStatements(CollectionDefinition collection) => [];

    /// <summary>The planner's row estimate for a table, or null where the database keeps none worth refreshing.</summary>
    public virtual string? EstimatedRows(string table) => null;

    /// <summary>Refreshes a table's planner statistics.</summary>
    public virtual string Analyze(string table) => $"ANALYZE {table}";

    /// <summary>A query listing a table's column names; the table name is parameter <c>@table</c>.</summary>
    public abstract string ListColumns { get; }

    /// <summary>Statements run once per connection-string at start-up before migrations (journal mode, locks...).</summary>
    public virtual IEnumerable<string> Prepare() => [];

    /// <summary>SQL that reads one top-level or nested JSON value as SQL text/number (<c>doc->>'a'</c> / <c>doc->'a'->>'b'</c>).</summary>
    public abstract string JsonValue(string column, IReadOnlyList<string> path, PrimitiveKind? kind);

    /// <summary>SQL that reads a JSON sub-document (object or array) at a path, as JSON.</summary>
    public abstract string JsonFragment(string column, IReadOnlyList<string> path);

    /// <summary>The parameter placeholder for a whole document, cast to the column's JSON type.</summary>
    public abstract string DocumentParameter(string parameterName);

    /// <summary>A placeholder for a number that may be null (a null parameter needs a declared type on some databases).</summary>
    public virtual string NumberParameter(string parameterName) => parameterName;

    /// <summary>The document of <paramref name="column"/> with top-level fields replaced by SQL expressions (names are code constants).</summary>
    public abstract string SetDocumentFields(string column, IReadOnlyList<(string Field, string Expression)> fields);

    /// <summary>A condition that <paramref name="column"/> is one of the values of a list parameter.</summary>
    public abstract string InList(string column, string parameterName);

    /// <summary>Adds a list-valued parameter to a command (an array for PostgreSQL, JSON text for SQLite).</summary>
    public abstract void AddListParameter(DbCommand command, string name, IReadOnlyCollection<object> values, PrimitiveKind kind);

    /// <summary>Serialises concurrent key assignment or migration inside a transaction.</summary>
    public abstract string TransactionLock(string name);

    /// <summary>Whether an exception is a unique-constraint violation.</summary>
    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>The smaller of two values of the same type.</summary>
    public abstract string Least(string a, string b);

    /// <summary>The SQL column type of raw bytes.</summary>
    public abstract string BytesType { get; }

    /// <summary>A subquery with one row per element of a list parameter, as column <c>value</c>.</summary>
    public abstract string ListValues(string parameterName);

    /// <summary>The SQL column type of a hot field.</summary>
    public abstract string ColumnType(PrimitiveKind kind);

    // ---- Query spelling: one small method per operator or function family that the databases spell differently.

    /// <summary>Whether <paramref name="text"/> contains <paramref name="part"/>, case-sensitively.</summary>
    public abstract string Contains(string text, string part);

    /// <summary>The 1-based position of <paramref name="part"/> in <paramref name="text"/>, 0 when absent.</summary>
    public abstract string Position(string text, string part);

    /// <summary>Whether <paramref name="text"/> starts with <paramref name="prefix"/>, case-sensitively.</summary>
    public virtual string StartsWith(string text, string prefix) => $"(substr({text}, 1, length({prefix})) = {prefix})";

    /// <summary>Whether <paramref name="text"/> ends with <paramref name="suffix"/>, case-sensitively.</summary>
    public abstract string EndsWith(string text, string suffix);

    /// <summary>A case-insensitive LIKE against a pattern parameter whose wildcards are escaped with a backslash.</summary>
    public abstract string LikeIgnoreCase(string text, string pattern);

    /// <summary>Text to integer (date parts taken by substring from the fixed-width UTC text).</summary>
    public string ToInteger(string text) => $"CAST({text} AS {ColumnType(PrimitiveKind.Int)})";

    /// <summary>Text or number to a floating value, so a division is never an integer division.</summary>
    public string ToFloat(string value) => $"CAST({value} AS {ColumnType(PrimitiveKind.Float)})";

    /// <summary>Rounds half away from zero, as OData's round does.</summary>
    public abstract string Round(string value);

    public abstract string Floor(string value);

    public abstract string Ceiling(string value);

    /// <summary>The remainder of a truncated division (sign of the dividend), for integers or floating values.</summary>
    public abstract string Modulo(string dividend, string divisor, bool floating);

    /// <summary>A FROM item producing one row per element of a JSON array (none when the value is not an array), as <c>alias.value</c>.</summary>
    public abstract string ArrayElements(string jsonArray, string alias, bool primitive);

    /// <summary>A primitive array element produced by <see cref="ArrayElements"/>, as a typed SQL value.</summary>
    public abstract string ElementValue(string alias, PrimitiveKind? kind);

    /// <summary>A structured array element produced by <see cref="ArrayElements"/>, as a JSON document column.</summary>
    public virtual string ElementDocument(string alias) => $"{alias}.value";

    /// <summary>The number of elements of a JSON array (null when the value is not an array).</summary>
    public abstract string ArrayLength(string jsonArray);

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static PrimitiveKind KindOf(FieldDefinition field) =>
        field.Type is PrimitiveType p ? p.Kind : throw new InvalidOperationException($"Field {field.Name} is not primitive.");

    protected static string IndexName(CollectionDefinition collection, IEnumerable<string> columns) =>
        Quote($"ix_{collection.Table}_{string.Join("_", columns)}");

    public IEnumerable<string> Indexes(CollectionDefinition collection)
    {
        foreach (var column in collection.Columns.Where(c => c.Indexed))
        {
            // The key after the value: rows with one value come in key order, the default order of every page.
            yield return $"CREATE INDEX IF NOT EXISTS {IndexName(collection, [column.Name, "id"])} ON {collection.Table} ({IndexColumn(column.Name)}, id)";
        }
        foreach (var group in collection.Indexes)
        {
            yield return $"CREATE INDEX IF NOT EXISTS {IndexName(collection, group)} ON {collection.Table} ({string.Join(", ", group.Select(c => IndexColumn(c)))})";
        }
        foreach (var group in collection.UniqueTogether)
        {
            var columns = string.Join(", ", group.Select(Quote));
            yield return $"CREATE UNIQUE INDEX IF NOT EXISTS {IndexName(collection, group)} ON {collection.Table} ({columns})";
        }
    }
}
