using System.Globalization;
using Lims.Collections.Definitions;
using Lims.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Lims.Ingest;

/// <summary>
/// PostgreSQL, upsert mode (insert mode uses <see cref="PostgresCopySink"/>): every tile goes by binary COPY into a
/// temporary staging table; at the end one INSERT ... SELECT ... ON CONFLICT DO NOTHING stores the new ones, one query
/// finds ids stored with other content in another acquisition (conflicts), and one UPDATE replaces the others.
/// </summary>
public sealed class PostgresUpsertSink : ITileSink
{
    private const string Staging = "tile_ingest_staging";
    private static readonly string _tiles = Tiles.Definition.Table;

    private readonly StoreSession _session;
    private readonly string _acquisitionId;
    private readonly int _conflictListLimit;
    private NpgsqlBinaryImporter? _copy;
    private long _staged;

    private PostgresUpsertSink(StoreSession session, string acquisitionId, int conflictListLimit)
    {
        _session = session;
        _acquisitionId = acquisitionId;
        _conflictListLimit = conflictListLimit;
    }

    public static async Task<PostgresUpsertSink> StartAsync(StoreSession session, string acquisitionId, int conflictListLimit, CancellationToken ct)
    {
        // Dropped at commit; a rolled-back request never created it.
        await session.ExecuteAsync($"CREATE TEMP TABLE {Staging} (id text NOT NULL, doc jsonb NOT NULL) ON COMMIT DROP", ct);
        var sink = new PostgresUpsertSink(session, acquisitionId, conflictListLimit);
        sink._copy = await ((NpgsqlConnection)session.Connection).BeginBinaryImportAsync($"COPY {Staging} (id, doc) FROM STDIN (FORMAT BINARY)", ct);
        return sink;
    }

    public async Task AddAsync(PreparedTile tile, CancellationToken ct)
    {
        await _copy!.StartRowAsync(ct);
        await _copy.WriteAsync(tile.Id, NpgsqlDbType.Text, ct);
        await _copy.WriteAsync(tile.Json, NpgsqlDbType.Jsonb, ct);
        _staged++;
    }

    public Task EndChunkAsync(CancellationToken ct) => Task.CompletedTask;

    public async Task<SinkResult> CompleteAsync(CancellationToken ct)
    {
        await _copy!.CompleteAsync(ct);
        await _copy.DisposeAsync();
        _copy = null;

        // Insert first, then compare: a concurrent request that stored the same id in between is seen as well.
        long inserted, scored;
        double focusSum;
        await using (var insert = _session.Command(
            $"WITH ins AS (INSERT INTO {_tiles} (id, doc, row_version) SELECT id, doc, 1 FROM {Staging} ON CONFLICT (id) DO NOTHING RETURNING focus_score) " +
            "SELECT COUNT(*), COUNT(focus_score), COALESCE(SUM(focus_score), 0) FROM ins"))
        await using (var reader = await insert.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            (inserted, scored, focusSum) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetDouble(2));
        }

        if (inserted == _staged)
        {
            // Every tile was new: nothing can differ, and the comparison below would cost a join per request.
            return new SinkResult(inserted, 0, scored, focusSum, [], 0);
        }
        // A temporary table has no statistics; without them the planner hashes the whole tiles table.
        await _session.ExecuteAsync($"ANALYZE {Staging}", ct);
        const string differs = "(t.doc - 'created_at' - 'updated_at') <> (s.doc - 'created_at' - 'updated_at')";
        // A different tile is replaced, unless it belongs to another acquisition.
        var (conflicts, conflictCount) = await ConflictsAsync($"{differs} AND t.acquisition_id IS DISTINCT FROM @acquisition", ct);
        var replaced = new List<long?>();
        if (conflictCount == 0)
        {
            // The CTE reads the tiles as they were before the update: their old raster indexes.
            await using var update = _session.Command(
                $"WITH old AS (SELECT t.id, t.raster_index FROM {_tiles} t JOIN {Staging} s ON t.id = s.id WHERE {differs}), " +
                $"upd AS (UPDATE {_tiles} t SET doc = s.doc || jsonb_build_object('created_at', t.doc->'created_at'), row_version = t.row_version + 1 " +
                $"FROM {Staging} s WHERE t.id = s.id AND {differs} RETURNING t.id) " +
                "SELECT old.raster_index FROM old JOIN upd ON upd.id = old.id");
            await using var reader = await update.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                replaced.Add(reader.IsDBNull(0) ? null : reader.GetInt64(0));
            }
        }
        return new SinkResult(inserted, replaced.Count, scored, focusSum, conflicts, conflictCount) { ReplacedRasterIndexes = replaced };
    }

    private async Task<(List<string> Ids, long Count)> ConflictsAsync(string condition, CancellationToken ct)
    {
        await using var command = _session.Command(
            $"SELECT s.id, COUNT(*) OVER () FROM {Staging} s JOIN {_tiles} t ON t.id = s.id WHERE {condition} ORDER BY s.id LIMIT {_conflictListLimit.ToString(CultureInfo.InvariantCulture)}",
            ("@acquisition", _acquisitionId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<string>();
        long count = 0;
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetString(0));
            count = reader.GetInt64(1);
        }
        return (ids, count);
    }

    public async ValueTask DisposeAsync()
    {
        if (_copy is not null)
        {
            // Disposing an unfinished COPY cancels it; the caller's transaction then rolls back.
            await _copy.DisposeAsync();
        }
    }
}
