using System.Text.Json.Nodes;
using Lims.Collections.Definitions;
using Lims.Documents;
using Lims.Jobs;
using Microsoft.Extensions.Options;

namespace Lims.Ingest;

/// <summary>
/// Tiles written one by one through the generic API (create, update, delete) move their acquisition's roll-ups
/// in the same transaction and request its quality report, as the bulk ingest does.
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
        if (before == after)
        {
            return;
        }
        if (before.Acquisition is { } old)
        {
            await AcquisitionRollups.ApplyDeltaAsync(context.Session, old, -1, before.Focus is null ? 0 : -1, -(before.Focus ?? 0), ct);
            await jobs.EnqueueAsync(context.Session, TileIngestService.QualityReportJob, old, options.Value.QualityReportDelay, ct);
        }
        if (after.Acquisition is { } current)
        {
            await AcquisitionRollups.ApplyDeltaAsync(context.Session, current, 1, after.Focus is null ? 0 : 1, after.Focus ?? 0, ct);
            await jobs.EnqueueAsync(context.Session, TileIngestService.QualityReportJob, current, options.Value.QualityReportDelay, ct);
        }
    }

    private static (string? Acquisition, double? Focus) Contribution(JsonObject? tile) =>
        tile is null ? (null, null) : (
            tile["acquisition_id"] is JsonValue a && a.TryGetValue<string>(out var id) ? id : null,
            tile["focus_score"] is JsonValue f && f.TryGetValue<double>(out var focus) ? focus : null);
}
