using System.Data.Common;
using Lims.Collections;
using Npgsql;
using NpgsqlTypes;

namespace Lims.Storage;

public sealed class PostgresDialect : SqlDialect
{
    public override string Name => "Postgres";

    public override DbConnection CreateConnection(string connectionString) => new NpgsqlConnection(connectionString);

    // Dashboards repeat a few statement shapes with different values: prepared once per connection, they skip
    // parsing and planning on every later use.
    public override string WithDefaults(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }
        return builder.ConnectionString;
    }

    public override string CreateTable(CollectionDefinition collection) =>
        $"CREATE TABLE IF NOT EXISTS {collection.Table} (id {(collection.HasIntegerKey ? "bigint" : "text")} PRIMARY KEY, " +
        "doc jsonb NOT NULL, row_version bigint NOT NULL)";

    // Generated columns keep the document the single source of truth while giving indexes a column.
    public override string AddColumn(CollectionDefinition collection, TypedColumn column) =>
        $"ALTER TABLE {collection.Table} ADD COLUMN IF NOT EXISTS {Quote(column.Name)} {ColumnType(column.Kind)} " +
        $"GENERATED ALWAYS AS ({JsonValue("doc", column.Path, column.Kind)}) STORED";

    // The key is never null; any other column may be.
    protected override string IndexColumn(string column) => $"{Quote(column)} NULLS FIRST";

    public override bool HasLateralJoin => true;

    // Statement-level triggers with transition tables keep them in the writer's transaction, COPY included.
    public override bool KeepsSummaries => true;

    public override IEnumerable<string> SummaryStatements(CollectionDefinition collection) => PostgresSummaries.Statements(collection);

    public override string EstimatedRows(string table) => $"SELECT reltuples::bigint FROM pg_class WHERE oid = '{table}'::regclass";

    public override string ListColumns =>
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table";

    public override string JsonValue(string column, IReadOnlyList<string> path, PrimitiveKind? kind)
    {
        var text = path.Count == 1
            ? $"({column}->>{Literal(path[0])})"
            : $"({column}#>>'{{{string.Join(",", path.Select(EscapePathElement))}}}')";
        return kind switch
        {
            PrimitiveKind.Int => $"{text}::bigint",
            PrimitiveKind.Float => $"{text}::double precision",
            PrimitiveKind.Bool => $"{text}::boolean",
            _ => text,
        };
    }

    public override string JsonFragment(string column, IReadOnlyList<string> path) =>
        path.Count == 1 ? $"({column}->{Literal(path[0])})" : $"({column}#>'{{{string.Join(",", path.Select(EscapePathElement))}}}')";

    public override string DocumentParameter(string parameterName) => $"CAST({parameterName} AS jsonb)";

    public override string NumberParameter(string parameterName) => $"CAST({parameterName} AS double precision)";

    public override string SetDocumentFields(string column, IReadOnlyList<(string Field, string Expression)> fields) =>
        $"{column} || jsonb_build_object({string.Join(", ", fields.Select(f => $"'{f.Field}', {f.Expression}"))})";

    public override string InList(string column, string parameterName) => $"{column} = ANY({parameterName})";

    public override string Least(string a, string b) => $"LEAST({a}, {b})";

    public override string BytesType => "bytea";

    public override string ListValues(string parameterName) => $"SELECT unnest({parameterName}) AS value";

    public override void AddListParameter(DbCommand command, string name, IReadOnlyCollection<object> values, PrimitiveKind kind)
    {
        var parameter = new NpgsqlParameter(name, NpgsqlDbType.Array | ArrayElementType(kind));
        parameter.Value = kind switch
        {
            PrimitiveKind.Int => values.Select(Convert.ToInt64).ToArray(),
            PrimitiveKind.Float => values.Select(Convert.ToDouble).ToArray(),
            PrimitiveKind.Bool => values.Select(Convert.ToBoolean).ToArray(),
            _ => values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!).ToArray(),
        };
        command.Parameters.Add(parameter);
    }

    public override string Contains(string text, string part) => $"(strpos({text}, {part}) > 0)";

    public override string Position(string text, string part) => $"strpos({text}, {part})";

    public override string EndsWith(string text, string suffix) => $"(right({text}, length({suffix})) = {suffix})";

    public override string LikeIgnoreCase(string text, string pattern) => $"({text} ILIKE {pattern} ESCAPE '\\')";

    // round(double precision) rounds half to even; numeric rounds half away from zero like OData.
    public override string Round(string value) => $"round(({value})::numeric)::double precision";

    public override string Floor(string value) => $"floor({value})";

    public override string Ceiling(string value) => $"ceiling({value})";

    public override string Modulo(string dividend, string divisor, bool floating) => floating
        ? $"mod(({dividend})::numeric, NULLIF(({divisor})::numeric, 0))::double precision"
        : $"mod({dividend}, NULLIF({divisor}, 0))";

    public override string ArrayElements(string jsonArray, string alias, bool primitive) =>
        $"{(primitive ? "jsonb_array_elements_text" : "jsonb_array_elements")}(CASE WHEN jsonb_typeof({jsonArray}) = 'array' THEN {jsonArray} END) AS {alias}(value)";

    public override string ElementValue(string alias, PrimitiveKind? kind) => kind switch
    {
        PrimitiveKind.Int => $"({alias}.value)::bigint",
        PrimitiveKind.Float => $"({alias}.value)::double precision",
        PrimitiveKind.Bool => $"({alias}.value)::boolean",
        _ => $"{alias}.value",
    };

    public override string ArrayLength(string jsonArray) =>
        $"(CASE WHEN jsonb_typeof({jsonArray}) = 'array' THEN jsonb_array_length({jsonArray}) END)";

    public override string TransactionLock(string name) => $"SELECT pg_advisory_xact_lock({StableHash(name)})";

    public override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override string ColumnType(PrimitiveKind kind) => kind switch
    {
        PrimitiveKind.Int => "bigint",
        PrimitiveKind.Float => "double precision",
        PrimitiveKind.Bool => "boolean",
        _ => "text",
    };

    private static NpgsqlDbType ArrayElementType(PrimitiveKind kind) => kind switch
    {
        PrimitiveKind.Int => NpgsqlDbType.Bigint,
        PrimitiveKind.Float => NpgsqlDbType.Double,
        PrimitiveKind.Bool => NpgsqlDbType.Boolean,
        _ => NpgsqlDbType.Text,
    };

    // Path names come from the EDM model, never from raw input; quoting still keeps odd names safe.
    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string EscapePathElement(string value) =>
        "\"" + value.Replace("'", "''", StringComparison.Ordinal).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static long StableHash(string name)
    {
        long hash = 1469598103934665603;
        foreach (var c in name)
        {
            hash = unchecked((hash ^ c) * 1099511628211);
        }
        return hash;
    }
}
