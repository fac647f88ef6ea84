using System.Data.Common;
using System.Globalization;

namespace Lims.Quality;

/// <summary>One tile as the block statement returns it: its values and the faults SQL decided for it.</summary>
public sealed record TileFlags(
    string Id, long? RasterIndex, long? Row, long? Col, double? Focus, double? Min, double? Max, double? Mean, double? Std,
    long Entries, long InvalidEntries, long DriftEntries, bool Dark, bool Saturated, bool LowContrast, bool Frozen)
{
    /// <summary>Any fault that a tile has on its own, whatever the rest of the report's scope (blur is not one).</summary>
    public bool HasFault => Dark || Saturated || LowContrast || Frozen || InvalidEntries > 0 || DriftEntries > 0;

    /// <summary>A row of the block statement (qualities, column 12, are read apart); frozen is decided by the reader of the rows.</summary>
    public static TileFlags Read(DbDataReader r) => new(
        r.GetString(0), NullableLong(r, 1), NullableLong(r, 2), NullableLong(r, 3), Double(r, 4), Double(r, 5), Double(r, 6), Double(r, 7), Double(r, 8),
        Long(r, 9), Long(r, 10), Long(r, 11), Long(r, 13) > 0, Long(r, 14) > 0, Long(r, 15) > 0, Frozen: false);

    /// <summary>The statistics a frozen frame repeats, or null when one is missing (a missing value never matches).</summary>
    public (double, double, double, double, double)? Statistics =>
        Focus is { } f && Min is { } a && Max is { } b && Mean is { } m && Std is { } s ? (f, a, b, m, s) : null;

    /// <summary>The tile as a failing tile, with a reason for each of its faults (blur is added by the report).</summary>
    public FailingTile Describe(string acquisitionId, AcquisitionRaster raster, QualityThresholds thresholds)
    {
        var faults = new List<string>();
        var reasons = new List<string>();
        void Fault(bool present, string code, string reason)
        {
            if (present)
            {
                faults.Add(code);
                reasons.Add(reason);
            }
        }
        Fault(Dark, "dark", $"max_value {F(Max)} is below {F(thresholds.DarkFraction * raster.FullScale)} ({F(thresholds.DarkFraction)} of full scale {F(raster.FullScale)})");
        Fault(Saturated, "saturated", $"min_value {F(Min)} is above {F(thresholds.SaturatedFraction * raster.FullScale)} ({F(thresholds.SaturatedFraction)} of full scale {F(raster.FullScale)})");
        Fault(LowContrast, "low-contrast", $"std_value {F(Std)} is below {F(thresholds.MinStdFraction * raster.FullScale)} ({F(thresholds.MinStdFraction)} of full scale)");
        Fault(Frozen, "frozen", "statistics identical to the tile at the previous raster_index");
        Fault(InvalidEntries > 0, "invalid-match", $"{InvalidEntries} matcher entr{(InvalidEntries == 1 ? "y" : "ies")} with position 'invalid'");
        Fault(DriftEntries > 0, "drift", $"{DriftEntries} match(es) with |dX| or |dY| above {F(raster.DriftLimitPx)} px");
        return new FailingTile(Id, acquisitionId, RasterIndex, Row, Col, QualityReportBuilder.Round(Focus), faults, reasons);
    }

    /// <summary>A failing tile with the blur fault put first, as the report lists faults.</summary>
    public static FailingTile WithBlur(FailingTile tile, double? focus, double? threshold, QualityThresholds thresholds) => tile with
    {
        Faults = ["blurry", .. tile.Faults],
        Reasons = [$"focus_score {F(focus)} is below {F(threshold)} ({F(thresholds.BlurRatio)} × the median)", .. tile.Reasons],
    };

    public static string F(double? value) => value is { } v ? Math.Round(v, 4).ToString(CultureInfo.InvariantCulture) : "n/a";

    private static double? Double(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : Convert.ToDouble(reader.GetValue(i), CultureInfo.InvariantCulture);

    private static long Long(DbDataReader reader, int i) => reader.IsDBNull(i) ? 0 : Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);

    private static long? NullableLong(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
}
