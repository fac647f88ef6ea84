using Lims.Collections;

namespace Lims.Storage;

/// <summary>
/// The PostgreSQL side of <see cref="SummaryDefinition"/>: a table of aggregates per key combination, kept by
/// statement-level triggers in the writer's transaction. Inserts (a COPY of a whole chunk included) add their
/// aggregates; updates and deletes recompute the keys they touched, after locking those summary rows so a
/// concurrent insert's addition lands on the recomputed row.
/// </summary>
public static class PostgresSummaries
{
    public static IEnumerable<string> Statements(CollectionDefinition collection)
    {
        if (collection.Summary is not { } summary)
        {
            yield break;
        }
        var table = SummaryDefinition.Table(collection);
        var keys = string.Join(", ", summary.Keys.Select(SqlDialect.Quote));
        var keyColumns = summary.Keys.Select(k => $"{SqlDialect.Quote(k)} {ColumnType(collection, k)}");
        var valueColumns = summary.Values.SelectMany(v => new[]
        {
            $"{Column(v, "n")} bigint NOT NULL", $"{Column(v, "sum")} double precision",
            $"{Column(v, "min")} double precision", $"{Column(v, "max")} double precision",
        });
        yield return $"CREATE TABLE IF NOT EXISTS {table} ({string.Join(", ", keyColumns.Append("n bigint NOT NULL").Concat(valueColumns))})";
        yield return $"CREATE UNIQUE INDEX IF NOT EXISTS {SqlDialect.Quote("ux_" + table)} ON {table} ({keys}) NULLS NOT DISTINCT";

        var aggregates = string.Join(", ", summary.Values.SelectMany(v => new[]
        {
            $"COUNT({SqlDialect.Quote(v)})", $"SUM({SqlDialect.Quote(v)})", $"MIN({SqlDialect.Quote(v)})", $"MAX({SqlDialect.Quote(v)})",
        }));
        var columns = $"{keys}, n, {string.Join(", ", summary.Values.SelectMany(v => new[] { Column(v, "n"), Column(v, "sum"), Column(v, "min"), Column(v, "max") }))}";
        string Aggregate(string source, string? where = null) =>
            $"INSERT INTO {table} AS s ({columns}) SELECT {keys}, COUNT(*), {aggregates} FROM {source}{where} GROUP BY {keys}";
        var add = string.Join(", ", summary.Values.SelectMany(v => new[]
        {
            $"{Column(v, "n")} = s.{Column(v, "n")} + excluded.{Column(v, "n")}",
            $"{Column(v, "sum")} = COALESCE(s.{Column(v, "sum")} + excluded.{Column(v, "sum")}, s.{Column(v, "sum")}, excluded.{Column(v, "sum")})",
            $"{Column(v, "min")} = LEAST(s.{Column(v, "min")}, excluded.{Column(v, "min")})",
            $"{Column(v, "max")} = GREATEST(s.{Column(v, "max")}, excluded.{Column(v, "max")})",
        }).Prepend("n = s.n + excluded.n"));
        var first = SqlDialect.Quote(summary.Keys[0]);
        var touched = $"(SELECT {first} FROM lims_old UNION SELECT {first} FROM lims_new)";
        var function = $"{table}_maintain";
        yield return $$"""
            CREATE OR REPLACE FUNCTION {{function}}() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    {{Aggregate("lims_new")}} ON CONFLICT ({{keys}}) DO UPDATE SET {{add}};
                    RETURN NULL;
                END IF;
                IF TG_OP = 'DELETE' THEN
                    PERFORM 1 FROM {{table}} WHERE {{first}} IN (SELECT {{first}} FROM lims_old) FOR UPDATE;
                    DELETE FROM {{table}} WHERE {{first}} IN (SELECT {{first}} FROM lims_old);
                    {{Aggregate(collection.Table, $" WHERE {first} IN (SELECT {first} FROM lims_old)")}};
                    RETURN NULL;
                END IF;
                PERFORM 1 FROM {{table}} WHERE {{first}} IN {{touched}} FOR UPDATE;
                DELETE FROM {{table}} WHERE {{first}} IN {{touched}};
                {{Aggregate(collection.Table, $" WHERE {first} IN {touched}")}};
                RETURN NULL;
            END $fn$
            """;
        yield return $"CREATE OR REPLACE FUNCTION {table}_clear() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN TRUNCATE {table}; RETURN NULL; END $fn$";
        yield return $"CREATE OR REPLACE TRIGGER {table}_insert AFTER INSERT ON {collection.Table} REFERENCING NEW TABLE AS lims_new FOR EACH STATEMENT EXECUTE FUNCTION {function}()";
        yield return $"CREATE OR REPLACE TRIGGER {table}_update AFTER UPDATE ON {collection.Table} REFERENCING OLD TABLE AS lims_old NEW TABLE AS lims_new FOR EACH STATEMENT EXECUTE FUNCTION {function}()";
        yield return $"CREATE OR REPLACE TRIGGER {table}_delete AFTER DELETE ON {collection.Table} REFERENCING OLD TABLE AS lims_old FOR EACH STATEMENT EXECUTE FUNCTION {function}()";
        yield return $"CREATE OR REPLACE TRIGGER {table}_truncate AFTER TRUNCATE ON {collection.Table} FOR EACH STATEMENT EXECUTE FUNCTION {table}_clear()";
        // A store that had rows before its summary existed: fill it once.
        yield return $"DO $fill$ BEGIN IF NOT EXISTS (SELECT 1 FROM {table}) THEN {Aggregate(collection.Table)}; END IF; END $fill$";
    }

    private static string Column(string value, string aggregate) => SqlDialect.Quote(SummaryDefinition.Column(value, aggregate));

    private static string ColumnType(CollectionDefinition collection, string key) =>
        collection.ColumnFor([key])?.Kind == PrimitiveKind.Int ? "bigint" : "text";
}
