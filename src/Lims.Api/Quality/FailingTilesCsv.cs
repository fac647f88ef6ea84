using System.Globalization;
using System.Text;

namespace Lims.Quality;

/// <summary>The failing tiles of a report as CSV (RFC 4180), one row per tile with its faults and reasons.</summary>
public static class FailingTilesCsv
{
    public const string Header = "acquisition_id,tile_id,raster_index,row,col,focus_score,faults,reasons";

    public static string Render(QualityReport report)
    {
        var csv = new StringBuilder(Header).Append("\r\n");
        foreach (var tile in report.FailingTiles)
        {
            string?[] cells =
            [
                tile.AcquisitionId, tile.TileId, Number(tile.RasterIndex), Number(tile.Row), Number(tile.Col),
                tile.FocusScore?.ToString(CultureInfo.InvariantCulture), string.Join(';', tile.Faults), string.Join("; ", tile.Reasons),
            ];
            csv.AppendJoin(',', cells.Select(Quote)).Append("\r\n");
        }
        return csv.ToString();
    }

    private static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string? value) =>
        value is null ? "" : value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
