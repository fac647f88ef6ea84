namespace Lims.Collections.Definitions;

/// <summary>Quality reports per acquisition and per ROI, written by the quality-report job; read-only through OData.</summary>
public static class QualityReports
{
    public static readonly string[] Verdicts = ["pass", "warn", "fail", "in-progress"];

    public static readonly CollectionDefinition Definition = new()
    {
        EntitySet = "QualityReports",
        EntityType = "QualityReport",
        Table = "quality_reports",
        ReadOnly = true,
        Description = "Quality report of one acquisition (report_id 'acquisition:<id>') or of an ROI's current acquisitions ('roi:<id>').",
        Key = F.Key("report_id", "'acquisition:<acquisition_id>' or 'roi:<roi_id>'"),
        Fields =
        [
            F.Enum("scope", "What the report covers", "acquisition", "roi") with { Hot = true },
            F.Str("acquisition_id", "The acquisition (acquisition reports only)") with { Hot = true },
            F.Int("roi_id", "The ROI") with { Hot = true },
            F.Str("task_type", "Task type whose thresholds applied"),
            F.Enum("verdict", "pass, warn or fail; in-progress while an acquisition is still imaging", Verdicts) with { Hot = true },
            F.Enum("qc_status", "The acquisition QC status the verdict maps to ('imaging' while in progress)", "qc-passed", "to be re-imaged", "failed", "imaging"),
            F.StrList("reasons", "Why the verdict is not pass"),
            F.Time("computed_at", "When the report was computed"),
            F.ObjList("acquisitions", ComplexTypes.OpenObject, "Acquisitions covered, with raster and full scale"),
            F.Int("expected_tiles", "Tiles the rasters (rows × cols) expect"),
            F.Int("tile_count", "Tiles stored"),
            F.Int("missing_count", "Raster positions without a tile"),
            F.ObjList("missing_positions", ComplexTypes.OpenObject, "The missing raster positions (first 10,000)"),
            F.Obj("focus", ComplexTypes.OpenObject, "Focus score min, p5, median, mean, max, blur threshold and tiles below it"),
            F.Obj("intensity", ComplexTypes.OpenObject, "Dark, saturated and low-contrast tiles; range of mean and std"),
            F.Int("frozen_frames", "Tiles whose statistics equal the previous raster index's"),
            F.Obj("matcher", ComplexTypes.OpenObject, "Matcher entries, median match quality, invalid and drift outliers"),
            F.Int("failing_tile_count", "Tiles with at least one fault"),
            F.ObjList("failing_tiles", ComplexTypes.OpenObject, "Failing tiles with their faults and reasons (first 10,000)"),
            F.ObjList("reimage_positions", ComplexTypes.OpenObject, "Raster positions to image again"),
            F.Obj("thresholds", ComplexTypes.OpenObject, "The thresholds applied"),
        ],
    };
}
