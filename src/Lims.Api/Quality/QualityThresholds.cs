namespace Lims.Quality;

/// <summary>
/// The rules of a quality report, section <c>Quality</c>; <c>Quality:TaskTypes:&lt;task_type&gt;</c> overrides any of
/// them for acquisitions of tasks of that type (a lens correction may tolerate what a production montage may not).
/// </summary>
public sealed class QualityThresholds
{
    /// <summary>A tile is blurry when its focus score is below this fraction of the median focus of the report's scope.</summary>
    public double BlurRatio { get; set; } = 0.5;

    /// <summary>A tile is dark when its max_value is below this fraction of full scale (2^saved_bit_depth − 1).</summary>
    public double DarkFraction { get; set; } = 0.05;

    /// <summary>A tile is saturated when its min_value is above this fraction of full scale.</summary>
    public double SaturatedFraction { get; set; } = 0.9;

    /// <summary>A tile has low contrast (blank frame) when its std_value is below this fraction of full scale.</summary>
    public double MinStdFraction { get; set; } = 0.01;

    /// <summary>A match is a drift outlier when |dX| or |dY| exceeds this fraction of the expected overlap in pixels (tile_overlap × tile size).</summary>
    public double DriftFractionOfOverlap { get; set; } = 0.1;

    /// <summary>The drift limit in pixels when the acquisition gives no tile size or overlap.</summary>
    public double DefaultDriftLimitPixels { get; set; } = 50;

    /// <summary>Bit depth assumed when neither saved_bit_depth nor camera_bit_depth is given.</summary>
    public int DefaultBitDepth { get; set; } = 8;

    /// <summary>Fail when more raster positions than this are missing.</summary>
    public int FailMissingPositions { get; set; }

    /// <summary>Warn when more tiles than this have a fault.</summary>
    public int WarnFailingTiles { get; set; }

    /// <summary>Fail when the failing tiles exceed this fraction of the expected tiles.</summary>
    public double FailFailingFraction { get; set; } = 0.01;

    /// <summary>Warn / fail when the median match quality is below these.</summary>
    public double WarnMedianMatchQuality { get; set; } = 0.8;

    public double FailMedianMatchQuality { get; set; } = 0.5;

    /// <summary>A failed acquisition is "to be re-imaged" when its missing and failing positions are at most this fraction of the raster; beyond, "failed".</summary>
    public double MaxReimageFraction { get; set; } = 0.25;
}

/// <summary>Reads the thresholds for a task type: the global section, then the task type's overrides.</summary>
public sealed class QualityThresholdsProvider(IConfiguration configuration)
{
    public const string Section = "Quality";

    public QualityThresholds For(string? taskType)
    {
        var thresholds = new QualityThresholds();
        configuration.GetSection(Section).Bind(thresholds);
        if (taskType is { Length: > 0 })
        {
            configuration.GetSection($"{Section}:TaskTypes:{taskType}").Bind(thresholds);
        }
        return thresholds;
    }
}
