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
        var settings = options.Value;
        try
        {
            return await store.WriteAsync(async session =>
            {
                await AcquisitionWriteLock.TakeAsync(session, acquisitionId, ct);
                var acquisition = await session.GetAsync(Acquisitions.Definition, acquisitionId, ct)
                    ?? throw DocumentService.NotFound(Acquisitions.Definition, acquisitionId);
                var preparer = new TilePreparer(acquisitionId, acquisition.Document, DocumentNormalizer.FormatTime(time.GetUtcNow()), limits.Value);
                await using var sink = session.Dialect is not PostgresDialect ? new SqliteTileSink(session, acquisitionId, upsert, TileReadAhead.ErrorListLimit)
                    : upsert ? await PostgresUpsertSink.StartAsync(session, acquisitionId, TileReadAhead.ErrorListLimit, ct)
                    : (ITileSink)await PostgresCopySink.StartAsync(session, store, TileReadAhead.ErrorListLimit, ct);

                var touched = new HashSet<long>();
                await using var ahead = TileReadAhead.Start(tiles, preparer, settings, ct);
                await foreach (var chunk in ahead.ReadAllAsync(ct))
                {
                    foreach (var prepared in chunk)
                    {
                        await sink.AddAsync(prepared, ct);
                        QualityBlocks.Touch(touched, prepared.RasterIndex);
                    }
                    await sink.EndChunkAsync(ct);
                }
                var received = await ahead.ReceivedAsync();

                var result = await sink.CompleteAsync(ct);
                if (result.ConflictCount > 0)
                {
                    throw Conflict(result);
                }
                if (result.Updated > 0)
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
                    await jobs.EnqueueAsync(session, QualityReportJob, acquisitionId, settings.QualityReportDelay, ct);
                }
                var answer = new IngestResult(acquisitionId, received, result.Inserted, received - result.Inserted - result.Updated, upsert ? result.Updated : null);
                await audit.RecordAsync(session, AuditEntry(answer, origin), ct);
                return answer;
            }, ct);
        }
        catch (System.Data.Common.DbException e) when (store.Dialect.IsUniqueViolation(e))
        {
            throw ApiException.Conflict("A concurrent write stored some of these tiles first; send the request again.");
        }
    }

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

    private static ApiException Conflict(SinkResult result) => ApiException.Conflict(
        $"{result.ConflictCount} tile(s) are stored with different content: {string.Join(", ", result.Conflicts)}{(result.ConflictCount > result.Conflicts.Count ? ", ..." : "")}. " +
        "Nothing was written; send ?mode=upsert to replace them.",
        [.. result.Conflicts.Select(id => new ErrorDetail("ContentConflict", $"Tiles('{id}')", $"Tile {id} exists with different content."))]);
}
