using Lims.Collections;
using Lims.Collections.Definitions;
using Lims.Ingest;
using Lims.Storage;

namespace Lims.Quality;

/// <summary>
/// Computes, stores and reads quality reports. Storing an acquisition's report also sets the acquisition's
/// roll-ups that depend on all its tiles (failed_tile_count, median_match_quality) and recounts the others exactly.
/// </summary>
public sealed class QualityReportService(DocumentStore store, QualityReportBuilder builder, TimeProvider time)
{
    private static readonly CollectionDefinition _reports = QualityReports.Definition;

    /// <summary>Recomputes and stores the acquisition's report and its ROI's report, in one transaction.</summary>
    public Task<QualityReport> RefreshAsync(string acquisitionId, CancellationToken ct) =>
        store.WriteAsync(async session =>
        {
            await AcquisitionWriteLock.TakeAsync(session, acquisitionId, ct);
            var report = await builder.ForAcquisitionAsync(session, acquisitionId, ct);
            await SaveAsync(session, report, ct);
            if (report.RoiId is { } roiId)
            {
                await SaveAsync(session, await builder.ForRoiAsync(session, roiId, ct, built: report), ct);
            }
            // Last, because it locks the acquisition's row until commit and every ingest into it updates that row too.
            // The blocks count every tile exactly: the roll-ups kept by each write are set from them, healing any drift.
            var (scored, sum) = report.FocusTotals;
            await AcquisitionRollups.SetValuesAsync(session, acquisitionId,
            [
                ("tile_count", report.TileCount), ("focus_scored_tile_count", scored), ("avg_focus_score", scored > 0 ? sum / scored : null),
                ("failed_tile_count", report.FailingTileCount), ("median_match_quality", report.Matcher.MedianMatchQuality),
            ], ct);
            return report;
        }, ct);

    /// <summary>Recomputes and stores an ROI's report.</summary>
    public Task<QualityReport> RefreshRoiAsync(long roiId, CancellationToken ct) =>
        store.WriteAsync(async session =>
        {
            var report = await builder.ForRoiAsync(session, roiId, ct);
            await SaveAsync(session, report, ct);
            return report;
        }, ct);

    /// <summary>The stored report, or a freshly computed (and stored) one when none is stored yet.</summary>
    public async Task<QualityReport> GetAcquisitionReportAsync(string acquisitionId, bool refresh, CancellationToken ct) =>
        !refresh && await LoadAsync(QualityReportBuilder.AcquisitionReportId(acquisitionId), ct) is { } stored ? stored : await RefreshAsync(acquisitionId, ct);

    public async Task<QualityReport> GetRoiReportAsync(long roiId, bool refresh, CancellationToken ct) =>
        !refresh && await LoadAsync(QualityReportBuilder.RoiReportId(roiId), ct) is { } stored ? stored : await RefreshRoiAsync(roiId, ct);

    /// <summary>Removes the acquisition's report (the acquisition is gone) and refreshes its ROI's, if the ROI still exists.</summary>
    public Task RemoveAcquisitionReportAsync(string acquisitionId, CancellationToken ct) =>
        store.WriteAsync(async session =>
        {
            await QualityBlocks.ForgetAsync(session, acquisitionId, ct);
            return await session.DeleteAsync(_reports, QualityReportBuilder.AcquisitionReportId(acquisitionId), ct);
        }, ct);

    private async Task<QualityReport?> LoadAsync(string reportId, CancellationToken ct)
    {
        var stored = await store.ReadAsync(session => session.GetAsync(_reports, reportId, ct), ct);
        return stored is null ? null : QualityReport.FromDocument(stored.Document);
    }

    private async Task SaveAsync(StoreSession session, QualityReport report, CancellationToken ct)
    {
        var document = report.ToDocument();
        var now = Validation.DocumentNormalizer.FormatTime(time.GetUtcNow());
        var existing = await session.GetAsync(_reports, report.ReportId, ct);
        document[Timestamps.CreatedAt] = existing?.Document[Timestamps.CreatedAt]?.DeepClone() ?? now;
        document[Timestamps.UpdatedAt] = now;
        if (existing is null)
        {
            await session.InsertAsync(_reports, report.ReportId, document, ct);
        }
        else
        {
            await session.UpdateAsync(_reports, report.ReportId, document, existing.Version, ct);
        }
    }
}
