using System.Data.Common;
using System.Text.Json.Nodes;
using Lims.Collections;
using Lims.Collections.Definitions;
using Lims.Storage;

namespace Lims.Ingest;

/// <summary>
/// SQLite: one prepared INSERT ... ON CONFLICT DO NOTHING re-used for every tile; after each chunk the tiles it
/// did not insert are compared with what is stored (one query per chunk) to tell skipped from conflicting.
/// </summary>
public sealed class SqliteTileSink : ITileSink
{
    private static readonly CollectionDefinition _tiles = Tiles.Definition;

    private readonly StoreSession _session;
    private readonly string _acquisitionId;
    private readonly bool _upsert;
    private readonly SinkTally _tally;
    private readonly DbCommand _insert;
    private readonly DbCommand _update;
    private readonly List<PreparedTile> _notInserted = [];
    private readonly List<long?> _replaced = [];
    private long _updated;

    public SqliteTileSink(StoreSession session, string acquisitionId, bool upsert, int conflictListLimit)
    {
        _session = session;
        _acquisitionId = acquisitionId;
        _upsert = upsert;
        _tally = new SinkTally(conflictListLimit);
        _insert = session.Command($"INSERT INTO {_tiles.Table} (id, doc, row_version) VALUES (@id, @doc, 1) ON CONFLICT (id) DO NOTHING", ("@id", ""), ("@doc", ""));
        _insert.Prepare();
        _update = session.Command($"UPDATE {_tiles.Table} SET doc = @doc, row_version = row_version + 1 WHERE id = @id", ("@id", ""), ("@doc", ""));
    }

    public async Task AddAsync(PreparedTile tile, CancellationToken ct)
    {
        _insert.Parameters[0].Value = tile.Id;
        _insert.Parameters[1].Value = tile.Json;
        if (await _insert.ExecuteNonQueryAsync(ct) == 1)
        {
            _tally.Inserted(tile);
        }
        else
        {
            _notInserted.Add(tile);
        }
    }

    public async Task EndChunkAsync(CancellationToken ct)
    {
        if (_notInserted.Count == 0)
        {
            return;
        }
        var stored = await _session.GetManyAsync(_tiles, [.. _notInserted.Select(t => (object)t.Id)], ct);
        foreach (var tile in _notInserted)
        {
            var current = stored[tile.Id].Document;
            var incoming = JsonNode.Parse(tile.Json)!.AsObject();
            if (TilePreparer.SameContent(current, incoming))
            {
                continue;
            }
            var otherAcquisition = current["acquisition_id"]?.GetValue<string>() != _acquisitionId;
            if (_upsert && !otherAcquisition)
            {
                incoming[Timestamps.CreatedAt] = current[Timestamps.CreatedAt]?.DeepClone();
                _replaced.Add(TilePreparer.RasterIndex(current));
                _update.Parameters[0].Value = tile.Id;
                _update.Parameters[1].Value = incoming.ToJsonString();
                _updated += await _update.ExecuteNonQueryAsync(ct);
                continue;
            }
            _tally.Conflict(tile.Id);
        }
        _notInserted.Clear();
    }

    public async Task<SinkResult> CompleteAsync(CancellationToken ct)
    {
        await EndChunkAsync(ct);
        return _tally.Result(_updated) with { ReplacedRasterIndexes = _replaced };
    }

    public async ValueTask DisposeAsync()
    {
        await _insert.DisposeAsync();
        await _update.DisposeAsync();
    }
}

