using Lims.Errors;
using Lims.Ingest;
using Lims.Jobs;

namespace Lims.Quality;

/// <summary>
/// Job "quality-report", key = acquisition id: recomputes that acquisition's report and its ROI's, and the
/// acquisition's roll-ups. Requested (debounced) by every tile write; idempotent.
/// </summary>
public sealed class QualityReportJob(QualityReportService reports) : IJobHandler
{
    public string Job => TileIngestService.QualityReportJob;

    public string Describe(string key) => $"Recompute the quality report of acquisition {key} and its ROI after new tiles";

    public async Task RunAsync(string key, CancellationToken ct)
    {
        try
        {
            await reports.RefreshAsync(key, ct);
        }
        catch (ApiException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            // The acquisition was deleted after the request: its report goes too.
            await reports.RemoveAcquisitionReportAsync(key, ct);
        }
    }
}
