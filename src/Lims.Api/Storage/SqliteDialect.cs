using System.Data.Common;
using System.Text.Json;
using Lims.Collections;
using Microsoft.Data.Sqlite;

namespace Lims.Storage;

public sealed class SqliteDialect : SqlDialect
{
    public override string Name => "Sqlite";

    public override DbConnection CreateConnection(string connectionString) => new SqliteConnection(connectionString);

    // WAL lets dashboards read while an ingest writes.
    public override IEnumerable<string> Prepare() => ["PRAGMA journal_mode=WAL"];

    public override string CreateTable(CollectionDefinition collection) =>
        $"CREATE TABLE IF NOT EXISTS {collection.Table} (id {(collection.HasIntegerKey ? "INTEGER" : "TEXT")} PRIMARY KEY NOT NULL, " +
        "doc TEXT NOT NULL, row_version INTEGER NOT NULL)";

    // SQLite can add only VIRTUAL generated columns to an existing table; indexes on them still work.
    public override string AddColumn(CollectionDefinition collection, TypedColumn column) =>
        $"ALTER TABLE {collection.Table} ADD COLUMN {Quote(column.Name)} {ColumnType(column.Kind)} " +
        $"GENERATED ALWAYS AS ({JsonValue("doc", column.Path, column.Kind)}) VIRTUAL";

    public override string ListColumns => "SELECT name FROM pragma_table_xinfo(@table)";

    public override string JsonValue(string column, IReadOnlyList<string> path, PrimitiveKind? kind) =>
        kind == PrimitiveKind.Float
            ? $"CAST(json_extract({column}, {PathLiteral(path)}) AS REAL)"
            : $"json_extract({column}, {PathLiteral(path)})";

    public override string JsonFragment(string column, IReadOnlyList<string> path) => $"json_extract({column}, {PathLiteral(path)})";

    public override string DocumentParameter(string parameterName) => parameterName;

    public override string SetDocumentFields(string column, IReadOnlyList<(string Field, string Expression)> fields) =>
        $"json_set({column}, {string.Join(", ", fields.Select(f => $"'$.{f.Field}', {f.Expression}"))})";

    public override string InList(string column, string parameterName) => $"{column} IN (SELECT value FROM json_each({parameterName}))";

    public override string Least(string a, string b) => $"MIN({a}, {b})";

    public override string BytesType => "BLOB";

    public override string ListValues(string parameterName) => $"SELECT value FROM json_each({parameterName})";

    public override void AddListParameter(DbCommand command, string name, IReadOnlyCollection<object> values, PrimitiveKind kind) =>
        command.Parameters.Add(new SqliteParameter(name, JsonSerializer.Serialize(values)));

    public override string Contains(string text, string part) => $"(instr({text}, {part}) > 0)";

    public override string Position(string text, string part) => $"instr({text}, {part})";

    public override string EndsWith(string text, string suffix) =>
        $"(length({suffix}) <= length({text}) AND substr({text}, length({text}) - length({suffix}) + 1) = {suffix})";

    // LIKE folds ASCII case in SQLite.
    public override string LikeIgnoreCase(string text, string pattern) => $"({text} LIKE {pattern} ESCAPE '\\')";

    public override string Round(string value) => $"round({value})";

    // Without relying on the optional math functions: truncate, then step down (floor) or up (ceiling).
    public override string Floor(string value) =>
        $"(CAST(CAST({value} AS INTEGER) AS REAL) - ((CAST({value} AS REAL)) < CAST({value} AS INTEGER)))";

    public override string Ceiling(string value) =>
        $"(CAST(CAST({value} AS INTEGER) AS REAL) + ((CAST({value} AS REAL)) > CAST({value} AS INTEGER)))";

    // SQLite's % truncates floating operands to integers first.
    public override string Modulo(string dividend, string divisor, bool floating) => floating
        ? $"(({dividend}) - ({divisor}) * CAST(({dividend}) / NULLIF({divisor}, 0) AS INTEGER))"
        : $"({dividend} % NULLIF({divisor}, 0))";

    public override string ArrayElements(string jsonArray, string alias, bool primitive) =>
        $"json_each(CASE WHEN json_type({jsonArray}) = 'array' THEN {jsonArray} END) AS {alias}";

    public override string ElementValue(string alias, PrimitiveKind? kind) =>
        kind == PrimitiveKind.Float ? $"CAST({alias}.value AS REAL)" : $"{alias}.value";

    public override string ArrayLength(string jsonArray) =>
        $"(CASE WHEN json_type({jsonArray}) = 'array' THEN json_array_length({jsonArray}) END)";

    // SQLite serialises writers already (BEGIN IMMEDIATE); no extra lock is needed.
    public override string TransactionLock(string name) => "SELECT 1";

    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 19 };

    public override string ColumnType(PrimitiveKind kind) => kind switch
    {
        PrimitiveKind.Int or PrimitiveKind.Bool => "INTEGER",
        PrimitiveKind.Float => "REAL",
        _ => "TEXT",
    };

    private static string PathLiteral(IReadOnlyList<string> path) =>
        "'$" + string.Concat(path.Select(p => "." + "\"" + p.Replace("'", "''", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"")) + "'";
}
