using System.Globalization;

namespace Lims.Quality;

/// <summary>
/// Turns a report's numbers into pass / warn / fail and the acquisition QC status it implies. A failure that
/// re-imaging some raster positions can repair (missing or failing tiles, at most <see cref="QualityThresholds.MaxReimageFraction"/>
/// of the raster) means "to be re-imaged"; anything else that fails (no tiles, poor matching overall, too many bad tiles) "failed".
/// A warning passes QC, with the warnings in the reasons.
/// </summary>
public static class QualityVerdict
{
    /// <summary>The verdict of a report whose acquisition is still imaging: its coverage so far, not a failure.</summary>
    public const string InProgress = "in-progress";

    public static QualityReport Apply(QualityReport report, QualityThresholds thresholds, bool imaging = false)
    {
        if (imaging)
        {
            return StillImaging(report);
        }
        var failures = new List<string>();
        var warnings = new List<string>();
        var systematic = false;
        if (report.TileCount == 0)
        {
            failures.Add("no tiles");
            systematic = true;
        }
        if (report.MissingCount > thresholds.FailMissingPositions)
        {
            failures.Add($"{report.MissingCount} raster position(s) missing (more than {thresholds.FailMissingPositions} fails)");
        }
        var failingFraction = report.ExpectedTiles > 0 ? (double)report.FailingTileCount / report.ExpectedTiles : 0;
        if (report.FailingTileCount > 0 && failingFraction > thresholds.FailFailingFraction)
        {
            failures.Add($"{report.FailingTileCount} tile(s) with faults, {Percent(failingFraction)} of the raster (more than {Percent(thresholds.FailFailingFraction)} fails)");
        }
        else if (report.FailingTileCount > thresholds.WarnFailingTiles)
        {
            warnings.Add($"{report.FailingTileCount} tile(s) with faults");
        }
        if (report.Matcher.MedianMatchQuality is { } quality)
        {
            if (quality < thresholds.FailMedianMatchQuality)
            {
                failures.Add($"median match quality {N(quality)} is below {N(thresholds.FailMedianMatchQuality)}");
                systematic = true;
            }
            else if (quality < thresholds.WarnMedianMatchQuality)
            {
                warnings.Add($"median match quality {N(quality)} is below {N(thresholds.WarnMedianMatchQuality)}");
            }
        }

        var positions = report.MissingPositions
            .Concat(report.FailingTiles.Where(t => t.RasterIndex is not null)
                .Select(t => new RasterPosition(t.AcquisitionId, t.RasterIndex!.Value, t.Row ?? 0, t.Col ?? 0)))
            .DistinctBy(p => (p.AcquisitionId, p.RasterIndex))
            .OrderBy(p => p.AcquisitionId, StringComparer.Ordinal).ThenBy(p => p.RasterIndex)
            .ToList();
        var verdict = failures.Count > 0 ? "fail" : warnings.Count > 0 ? "warn" : "pass";
        var repairable = !systematic && report.ExpectedTiles > 0
            && (double)(report.MissingCount + report.FailingTileCount) / report.ExpectedTiles <= thresholds.MaxReimageFraction;
        var status = verdict != "fail" ? "qc-passed" : repairable ? "to be re-imaged" : "failed";
        return report with
        {
            Verdict = verdict,
            QcStatus = status,
            Reasons = [.. failures, .. warnings],
            ReimagePositions = verdict == "pass" ? [] : positions,
        };
    }

    /// <summary>
    /// Positions not imaged yet are not missing, and a verdict now would be premature: the report says how far imaging
    /// got and what is wrong with the tiles so far (their positions to redo), and QC judges once it is acquired.
    /// </summary>
    private static QualityReport StillImaging(QualityReport report)
    {
        var coverage = report.ExpectedTiles > 0
            ? $"still imaging: {report.TileCount} of {report.ExpectedTiles} raster positions so far ({Percent((double)report.TileCount / report.ExpectedTiles)})"
            : $"still imaging: {report.TileCount} tile(s) so far";
        var reasons = new List<string> { coverage };
        if (report.FailingTileCount > 0)
        {
            reasons.Add($"{report.FailingTileCount} tile(s) with faults so far");
        }
        return report with
        {
            Verdict = InProgress,
            QcStatus = "imaging",
            Reasons = reasons,
            ReimagePositions = [.. report.FailingTiles.Where(t => t.RasterIndex is not null)
                .Select(t => new RasterPosition(t.AcquisitionId, t.RasterIndex!.Value, t.Row ?? 0, t.Col ?? 0))
                .DistinctBy(p => (p.AcquisitionId, p.RasterIndex))],
        };
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string N(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
