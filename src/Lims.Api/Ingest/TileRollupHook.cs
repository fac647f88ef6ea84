using System.Text.Json.Nodes;
using Lims.Collections.Definitions;
using Lims.Documents;
using Lims.Jobs;
using Lims.Quality;
using Microsoft.Extensions.Options;

namespace Lims.Ingest;

/// <summary>
/// Tiles written one by one through the generic API (create, update, delete) move their acquisition's roll-ups,
/// mark their quality blocks changed and request its quality report in the same transaction, as the bulk ingest does.
/// </summary>
public sealed class TileRollupHook(IJobRequests jobs, IOptions<IngestOptions> options) : IDocumentWriteHook
{
    public async Task OnWriteAsync(WriteContext context, CancellationToken ct)
    {
        if (context.Collection != Tiles.Definition)
        {
            return;
        }
        var before = Contribution(context.Before);
        var after = Contribution(context.After);
        if (before.Acquisition is { } old && before != after)
        {
            await AcquisitionRollups.ApplyDeltaAsync(context.Session, old, -1, before.Focus is null ? 0 : -1, -(before.Focus ?? 0), ct);
        }
        if (after.Acquisition is { } current && before != after)
        {
            await AcquisitionRollups.ApplyDeltaAsync(context.Session, current, 1, after.Focus is null ? 0 : 1, after.Focus ?? 0, ct);
        }
        // Any change to a tile may change its quality (statistics, matcher, raster index): both sides are marked and reported.
        foreach (var side in new[] { (before.Acquisition, context.Before), (after.Acquisition, context.After) }.Where(s => s.Acquisition is not null).GroupBy(s => s.Acquisition!))
        {
            var blocks = new HashSet<long>();
            foreach (var (_, tile) in side)
            {
                QualityBlocks.Touch(blocks, TilePreparer.RasterIndex(tile));
            }
            await QualityBlocks.MarkAsync(context.Session, side.Key, blocks, ct);
            await jobs.EnqueueAsync(context.Session, TileIngestService.QualityReportJob, side.Key, options.Value.QualityReportDelay, ct);
        }
    }

    private static (string? Acquisition, double? Focus) Contribution(JsonObject? tile) =>
        tile is null ? (null, null) : (
            tile["acquisition_id"] is JsonValue a && a.TryGetValue<string>(out var id) ? id : null,
            tile["focus_score"] is JsonValue f && f.TryGetValue<double>(out var focus) ? focus : null);
}
