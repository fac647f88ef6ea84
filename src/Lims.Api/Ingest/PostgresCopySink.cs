using System.Data.Common;
using Lims.Collections.Definitions;
using Lims.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Lims.Ingest;

/// <summary>
/// PostgreSQL, insert mode: binary COPY straight into the tiles table, so the database stores chunk k while the
/// service validates chunk k+1. Before a chunk is copied, a second connection looks up which of its ids are already
/// stored (committed): identical ones are skipped, different ones are conflicts. The lookup of chunk k runs while
/// chunk k-1 is copied, so the COPY is not left idle waiting for it. A concurrent request that commits the same id
/// in between makes the COPY fail with a unique violation, answered 409 like any such race.
/// </summary>
public sealed class PostgresCopySink : ITileSink
{
    private static readonly string _tiles = Tiles.Definition.Table;

    private readonly DbConnection _lookupConnection;
    private readonly NpgsqlBinaryImporter _copy;
    private readonly SinkTally _tally;
    private List<PreparedTile> _chunk = [];
    private List<PreparedTile> _looked = [];
    private Task<Dictionary<string, bool>>? _lookup;

    private PostgresCopySink(DbConnection lookup, NpgsqlBinaryImporter copy, int conflictListLimit)
    {
        _lookupConnection = lookup;
        _copy = copy;
        _tally = new SinkTally(conflictListLimit);
    }

    public static async Task<PostgresCopySink> StartAsync(StoreSession session, DocumentStore store, int conflictListLimit, CancellationToken ct)
    {
        var lookup = await store.OpenAsync(ct);
        try
        {
            var copy = await ((NpgsqlConnection)session.Connection).BeginBinaryImportAsync($"COPY {_tiles} (id, doc, row_version) FROM STDIN (FORMAT BINARY)", ct);
            return new PostgresCopySink(lookup, copy, conflictListLimit);
        }
        catch
        {
            await lookup.DisposeAsync();
            throw;
        }
    }

    public Task AddAsync(PreparedTile tile, CancellationToken ct)
    {
        _chunk.Add(tile);
        return Task.CompletedTask;
    }

    public async Task EndChunkAsync(CancellationToken ct)
    {
        if (_chunk.Count == 0)
        {
            return;
        }
        // The previous lookup (of the chunk read before) has had a whole chunk's reading to answer.
        var stored = _lookup is null ? null : await _lookup;
        var previous = _looked;
        (_looked, _chunk) = (_chunk, []);
        _lookup = StoredAsync(_looked, ct);
        if (stored is not null)
        {
            await CopyAsync(previous, stored, ct);
        }
    }

    private async Task CopyAsync(List<PreparedTile> chunk, Dictionary<string, bool> stored, CancellationToken ct)
    {
        foreach (var tile in chunk)
        {
            if (stored.TryGetValue(tile.Id, out var identical))
            {
                if (!identical)
                {
                    _tally.Conflict(tile.Id);
                }
                continue;
            }
            await _copy.StartRowAsync(ct);
            await _copy.WriteAsync(tile.Id, NpgsqlDbType.Text, ct);
            await _copy.WriteAsync(tile.Json, NpgsqlDbType.Jsonb, ct);
            await _copy.WriteAsync(1L, NpgsqlDbType.Bigint, ct);
            _tally.Inserted(tile);
        }
    }

    /// <summary>The chunk's ids already stored, each with whether it holds the same content (server-set timestamps aside).</summary>
    private async Task<Dictionary<string, bool>> StoredAsync(List<PreparedTile> chunk, CancellationToken ct)
    {
        var stored = new Dictionary<string, bool>(StringComparer.Ordinal);
        await using (var find = new NpgsqlCommand($"SELECT id FROM {_tiles} WHERE id = ANY(@ids)", (NpgsqlConnection)_lookupConnection))
        {
            find.Parameters.AddWithValue("ids", chunk.Select(t => t.Id).ToArray());
            await using var reader = await find.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                stored[reader.GetString(0)] = false;
            }
        }
        if (stored.Count == 0)
        {
            return stored;
        }
        // Compared as jsonb, as the database holds them, not as text.
        var existing = chunk.Where(t => stored.ContainsKey(t.Id)).ToList();
        await using var compare = new NpgsqlCommand(
            $"SELECT t.id FROM {_tiles} t JOIN unnest(@ids, @docs) AS x(id, doc) ON t.id = x.id " +
            "WHERE (t.doc - 'created_at' - 'updated_at') = (CAST(x.doc AS jsonb) - 'created_at' - 'updated_at')", (NpgsqlConnection)_lookupConnection);
        compare.Parameters.AddWithValue("ids", existing.Select(t => t.Id).ToArray());
        compare.Parameters.AddWithValue("docs", existing.Select(t => t.Json).ToArray());
        await using (var reader = await compare.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                stored[reader.GetString(0)] = true;
            }
        }
        return stored;
    }

    public async Task<SinkResult> CompleteAsync(CancellationToken ct)
    {
        await EndChunkAsync(ct);
        if (_lookup is not null)
        {
            await CopyAsync(_looked, await _lookup, ct);
            _lookup = null;
        }
        await _copy.CompleteAsync(ct);
        // The connection serves other commands only once the importer is disposed.
        await _copy.DisposeAsync();
        return _tally.Result(updated: 0);
    }

    public async ValueTask DisposeAsync()
    {
        // Disposing an unfinished COPY cancels it, and the caller's transaction rolls back; disposing twice is harmless.
        await _copy.DisposeAsync();
        if (_lookup is not null)
        {
            // A lookup still running uses the connection: let it end first (its answer, or failure, is moot now).
            await Task.WhenAny(_lookup);
            _ = _lookup.Exception;
        }
        await _lookupConnection.DisposeAsync();
    }
}
