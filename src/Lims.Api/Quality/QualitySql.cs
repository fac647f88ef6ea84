using System.Data.Common;
using System.Text.Json;
using Lims.Collections;
using Lims.Collections.Definitions;
using Lims.Storage;

namespace Lims.Quality;

/// <summary>
/// The SQL spelling quality blocks need beyond the dialect's: reaching into the matcher array (a lateral aggregate on
/// PostgreSQL, correlated subqueries on SQLite) and typed parameters.
/// </summary>
public sealed class QualitySql(SqlDialect dialect)
{
    public static readonly string TileTable = Tiles.Definition.Table;
    private bool IsPostgres => dialect is PostgresDialect;

    public string Value(string alias, PrimitiveKind kind, params string[] path) => dialect.JsonValue($"{alias}.doc", path, kind);

    /// <summary>
    /// Prepares the session for the report's statements. PostgreSQL: no JIT for the rest of the transaction
    /// (set_config local; a no-op outside one), because compiling these JSON-heavy plans took about 0.7 s per
    /// statement, more than executing them over 100k tiles.
    /// </summary>
    public async Task PrepareAsync(StoreSession session, CancellationToken ct)
    {
        if (IsPostgres)
        {
            await session.ExecuteAsync("SELECT set_config('jit', 'off', true)", ct);
        }
    }

    /// <summary>A typed parameter placeholder, so that a null value has a type on PostgreSQL.</summary>
    public string Real(string parameter) => $"CAST({parameter} AS {dialect.ColumnType(PrimitiveKind.Float)})";

    /// <summary>The matcher entries of tile <paramref name="alias"/> as a FROM item; read fields with <see cref="Entry"/>.</summary>
    public string MatcherEntries(string alias) => IsPostgres
        ? $"jsonb_array_elements(CASE jsonb_typeof({alias}.doc->'matcher') WHEN 'array' THEN {alias}.doc->'matcher' ELSE '[]'::jsonb END) AS e(m)"
        : $"json_each({alias}.doc, '$.matcher') AS e";

    public string Entry(string field, PrimitiveKind kind) => IsPostgres
        ? kind == PrimitiveKind.Float ? $"(e.m->>'{field}')::double precision" : $"(e.m->>'{field}')"
        : kind == PrimitiveKind.Float ? $"CAST(json_extract(e.value, '$.{field}') AS REAL)" : $"json_extract(e.value, '$.{field}')";

    /// <summary>
    /// What a tile's matcher holds, as select-list <c>Columns</c> entries, invalid_entries, drift_entries (entries
    /// meeting <paramref name="invalid"/> and <paramref name="drift"/>) and qualities (its match qualities; read them with
    /// <see cref="Qualities"/>), plus the <c>Join</c> that goes after the tile in FROM. PostgreSQL expands the array once
    /// per tile (a lateral aggregate with FILTER); SQLite has no LATERAL, so it keeps correlated subqueries.
    /// </summary>
    public (string Columns, string Join) Matcher(string alias, string invalid, string drift)
    {
        var quality = Entry("match_quality", PrimitiveKind.Float);
        return IsPostgres
            ? ("m.entries AS entries, m.invalid_entries AS invalid_entries, m.drift_entries AS drift_entries, m.qualities AS qualities",
                $"CROSS JOIN LATERAL (SELECT COUNT(*) AS entries, COUNT(*) FILTER (WHERE {invalid}) AS invalid_entries, " +
                $"COUNT(*) FILTER (WHERE {drift}) AS drift_entries, array_agg({quality}) FILTER (WHERE {quality} IS NOT NULL) AS qualities FROM {MatcherEntries(alias)}) m")
            : ($"(SELECT COUNT(*) FROM {MatcherEntries(alias)}) AS entries, (SELECT COUNT(*) FROM {MatcherEntries(alias)} WHERE {invalid}) AS invalid_entries, " +
                $"(SELECT COUNT(*) FROM {MatcherEntries(alias)} WHERE {drift}) AS drift_entries, " +
                $"(SELECT json_group_array({quality}) FROM {MatcherEntries(alias)} WHERE {quality} IS NOT NULL) AS qualities", "");
    }

    /// <summary>The qualities column of <see cref="Matcher"/>: an array on PostgreSQL, JSON text on SQLite.</summary>
    public static IEnumerable<double> Qualities(DbDataReader reader, int column) =>
        reader.IsDBNull(column) ? [] : reader.GetValue(column) switch
        {
            double[] values => values,
            string json => JsonSerializer.Deserialize<double[]>(json)!,
            var other => throw new InvalidOperationException($"Unexpected qualities of type {other.GetType()}."),
        };
}
