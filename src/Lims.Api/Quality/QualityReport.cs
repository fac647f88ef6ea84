using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Lims.Quality;

/// <summary>
/// A quality report over one acquisition or over the current acquisitions of one ROI. Stored as a document of the
/// read-only QualityReports collection, with snake_case names like every other document.
/// </summary>
public sealed record QualityReport
{
    public required string ReportId { get; init; }
    /// <summary>"acquisition" or "roi".</summary>
    public required string Scope { get; init; }
    public string? AcquisitionId { get; init; }
    public long? RoiId { get; init; }
    public string? TaskType { get; init; }
    /// <summary>"pass", "warn" or "fail".</summary>
    public required string Verdict { get; init; }
    /// <summary>The acquisition QC status the verdict maps to: "qc-passed", "to be re-imaged" or "failed".</summary>
    public required string QcStatus { get; init; }
    public required List<string> Reasons { get; init; }
    public required string ComputedAt { get; init; }
    public required List<AcquisitionRaster> Acquisitions { get; init; }
    public long ExpectedTiles { get; init; }
    public long TileCount { get; init; }
    public long MissingCount { get; init; }
    public required List<RasterPosition> MissingPositions { get; init; }
    public required FocusSummary Focus { get; init; }
    public required IntensitySummary Intensity { get; init; }
    public long FrozenFrames { get; init; }
    public required MatcherSummary Matcher { get; init; }
    public long FailingTileCount { get; init; }
    public required List<FailingTile> FailingTiles { get; init; }
    /// <summary>Raster positions to image again: the missing ones and those of failing tiles.</summary>
    public required List<RasterPosition> ReimagePositions { get; init; }
    public required QualityThresholds Thresholds { get; init; }

    /// <summary>Tiles with a focus score and the sum of their scores, unrounded, for the acquisition's roll-ups; not stored.</summary>
    [JsonIgnore]
    public (long Scored, double Sum) FocusTotals { get; init; }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public JsonObject ToDocument() => JsonSerializer.SerializeToNode(this, JsonOptions)!.AsObject();

    public static QualityReport FromDocument(JsonObject document) => document.Deserialize<QualityReport>(JsonOptions)!;
}

public sealed record AcquisitionRaster(string AcquisitionId, int Rows, int Cols, long ExpectedTiles, long TileCount, int SavedBitDepth, double FullScale, double DriftLimitPx);

public sealed record RasterPosition(string AcquisitionId, long RasterIndex, long Row, long Col);

public sealed record FocusSummary(double? Min, double? P5, double? Median, double? Mean, double? Max, double? Threshold, long BelowThreshold);

public sealed record IntensitySummary(long DarkTiles, long SaturatedTiles, long LowContrastTiles, double? MeanMin, double? MeanMax, double? StdMin, double? StdMax);

public sealed record MatcherSummary(long Entries, double? MedianMatchQuality, long InvalidEntries, long InvalidTiles, long DriftOutliers, long DriftTiles);

/// <summary>A tile with at least one fault. Faults: blurry, dark, saturated, low-contrast, frozen, invalid-match, drift.</summary>
public sealed record FailingTile(string TileId, string AcquisitionId, long? RasterIndex, long? Row, long? Col, double? FocusScore, List<string> Faults, List<string> Reasons);
