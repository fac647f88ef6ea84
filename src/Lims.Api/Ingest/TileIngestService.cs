using System.Text.Json.Nodes;
using Lims.Audit;
using Lims.Collections.Definitions;
using Lims.Documents;
using Lims.Errors;
using Lims.Jobs;
using Lims.Limits;
using Lims.Quality;
using Lims.Storage;
using Lims.Validation;
using Microsoft.Extensions.Options;

namespace Lims.Ingest;

/// <summary>The answer to an ingest request.</summary>
public sealed record IngestResult(string AcquisitionId, long Received, long Inserted, long SkippedExisting, long? Updated);

/// <summary>
/// Bulk tile ingest for one acquisition: the write pipeline in its streaming form. Validates each tile with the
/// pipeline's rules (<see cref="TilePreparer"/>), stores the request's tiles in one transaction (all or nothing),
/// keeps the acquisition's roll-ups current, records one audit entry for the batch and requests its quality report,
/// all in that transaction.
/// </summary>
public sealed class TileIngestService(
    DocumentStore store, IJobRequests jobs, IAuditTrail audit, IOptions<IngestOptions> options, IOptions<LimitsOptions> limits, TimeProvider time)
{
    public const string QualityReportJob = "quality-report";

    public async Task<IngestResult> IngestAsync(string acquisitionId, IAsyncEnumerable<JsonObject> tiles, bool upsert, WriteOrigin origin, CancellationToken ct)
    {
        try
        {
            var result = await store.WriteAsync(async session =>
            {
                await AcquisitionWriteLock.TakeAsync(session, acquisitionId, ct);
                var (result, sink) = await WriteInSessionAsync(session, acquisitionId, tiles, upsert, restore: false, null, ct);
                if (sink.ConflictCount > 0)
                {
                    throw Conflict(sink);
                }
                await audit.RecordAsync(session, AuditEntry(result, origin), ct);
                return result;
            }, ct);
            await PlannerStatistics.RefreshIfGrownAsync(store, Tiles.Definition.Table, result.Inserted, ct);
            return result;
        }
        catch (System.Data.Common.DbException e) when (store.Dialect.IsUniqueViolation(e))
        {
            throw ApiException.Conflict("A concurrent write stored some of these tiles first; send the request again.");
        }
    }

    /// <summary>
    /// Stores tiles in the caller's transaction. Tiles stored with other content are left and returned as conflicts
    /// for the caller to refuse or report. A <paramref name="restore"/> (package import) keeps the tiles' timestamps,
    /// recounts the roll-ups exactly and requests no report: the package brings the one it was exported with.
    /// </summary>
    public async Task<(IngestResult Result, SinkResult Sink)> WriteInSessionAsync(
        StoreSession session, string acquisitionId, IAsyncEnumerable<JsonObject> tiles, bool upsert, bool restore, Action<long>? progress, CancellationToken ct)
    {
        // A package brings an acquisition's tiles whole: the cap on tiles per request is for ingest requests.
        var settings = restore ? new IngestOptions { ChunkSize = options.Value.ChunkSize, MaxTilesPerRequest = int.MaxValue } : options.Value;
        var acquisition = await session.GetAsync(Acquisitions.Definition, acquisitionId, ct)
            ?? throw DocumentService.NotFound(Acquisitions.Definition, acquisitionId);
        var preparer = new TilePreparer(acquisitionId, acquisition.Document, DocumentNormalizer.FormatTime(time.GetUtcNow()), limits.Value, keepTimestamps: restore);
        await using var sink = await StartSinkAsync(session, store, acquisitionId, upsert, ct);

        var touched = new HashSet<long>();
        long written = 0;
        await using var ahead = TileReadAhead.Start(tiles, preparer, settings, ct);
        await foreach (var chunk in ahead.ReadAllAsync(ct))
        {
            foreach (var prepared in chunk)
            {
                await sink.AddAsync(prepared, ct);
                QualityBlocks.Touch(touched, prepared.RasterIndex);
            }
            await sink.EndChunkAsync(ct);
            progress?.Invoke(written += chunk.Count);
        }
        var received = await ahead.ReceivedAsync();

        var result = await sink.CompleteAsync(ct);
        if (result.ConflictCount > 0 && !restore)
        {
            return (new IngestResult(acquisitionId, received, 0, 0, null), result);
        }
        if (result.Updated > 0 || (restore && result.Inserted > 0))
        {
            await AcquisitionRollups.RecomputeCountsAsync(session, acquisitionId, ct);
        }
        else
        {
            await AcquisitionRollups.ApplyDeltaAsync(session, acquisitionId, result.Inserted, result.InsertedScored, result.InsertedFocusSum, ct);
        }
        if (result.Inserted + result.Updated > 0)
        {
            foreach (var index in result.ReplacedRasterIndexes)
            {
                QualityBlocks.Touch(touched, index);
            }
            await QualityBlocks.MarkAsync(session, acquisitionId, touched, ct);
            if (!restore)
            {
                await jobs.EnqueueAsync(session, QualityReportJob, acquisitionId, settings.QualityReportDelay, ct);
            }
        }
        return (new IngestResult(acquisitionId, received, result.Inserted, received - result.Inserted - result.Updated, upsert ? result.Updated : null), result);
    }

    /// <summary>The sink for this store: COPY (or an upsert) on PostgreSQL, batched inserts on SQLite.</summary>
    public static async Task<ITileSink> StartSinkAsync(StoreSession session, DocumentStore store, string acquisitionId, bool upsert, CancellationToken ct) =>
        session.Dialect is not PostgresDialect ? new SqliteTileSink(session, acquisitionId, upsert, TileReadAhead.ErrorListLimit)
        : upsert ? await PostgresUpsertSink.StartAsync(session, acquisitionId, TileReadAhead.ErrorListLimit, ct)
        : await PostgresCopySink.StartAsync(session, store, TileReadAhead.ErrorListLimit, ct);

    /// <summary>One entry per batch, whatever its size: the acquisition, the counts and the caller.</summary>
    private static AuditRecord AuditEntry(IngestResult result, WriteOrigin origin) =>
        new(AuditOperations.Ingest, Tiles.Definition.EntitySet, result.AcquisitionId, origin.Actor)
        {
            CorrelationId = origin.CorrelationId,
            Details = new JsonObject
            {
                ["acquisition_id"] = result.AcquisitionId,
                ["received"] = result.Received,
                ["inserted"] = result.Inserted,
                ["skipped"] = result.SkippedExisting,
                ["updated"] = result.Updated,
            },
        };

    public static ApiException Conflict(SinkResult result) => ApiException.Conflict(
        $"{result.ConflictCount} tile(s) are stored with different content: {string.Join(", ", result.Conflicts)}{(result.ConflictCount > result.Conflicts.Count ? ", ..." : "")}. " +
        "Nothing was written; send ?mode=upsert to replace them.",
        [.. result.Conflicts.Select(id => new ErrorDetail("ContentConflict", $"Tiles('{id}')", $"Tile {id} exists with different content."))]);
}
