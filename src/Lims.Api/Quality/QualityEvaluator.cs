namespace Lims.Quality;

/// <summary>
/// The QC step of the workflow: computes the acquisition's report now and maps its verdict to a status
/// (pass or warn → qc-passed, with any warnings as the reason; fail → to be re-imaged, listing the raster
/// positions to redo, when that can repair it, otherwise failed).
/// </summary>
public sealed class QualityEvaluator(QualityReportService reports) : Workflow.IAcquisitionEvaluator
{
    private const int PositionsInReason = 50;

    public async Task<Workflow.QcOutcome> EvaluateAsync(string acquisitionId, CancellationToken ct)
    {
        var report = await reports.RefreshAsync(acquisitionId, ct);
        var reason = report.Verdict switch
        {
            "pass" => "quality report: pass",
            "warn" => $"quality report: warn ({string.Join("; ", report.Reasons)})",
            _ => $"quality report: fail ({string.Join("; ", report.Reasons)})",
        };
        if (report.QcStatus == "to be re-imaged")
        {
            var positions = report.ReimagePositions.Take(PositionsInReason).Select(p => $"({p.Row},{p.Col})");
            reason += $"; re-image {report.ReimagePositions.Count} raster position(s) (row,col): {string.Join(" ", positions)}" +
                      (report.ReimagePositions.Count > PositionsInReason ? " ..." : "");
        }
        return new Workflow.QcOutcome(report.QcStatus, reason);
    }
}
