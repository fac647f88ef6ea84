using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Lims.Quality;

/// <summary>
/// Draws a focus-score heatmap over raster positions as SVG: one panel per acquisition of the report, one cell per
/// raster position coloured on a perceptual scale, missing positions hatched grey, failing tiles outlined in red,
/// and a legend with the colour bar, the blur threshold and the markers.
/// </summary>
public static class HeatmapSvg
{
    private static readonly XNamespace _svg = "http://www.w3.org/2000/svg";

    // Viridis at five stops: perceptually even, readable in grey and by colour-blind readers.
    private static readonly (double At, int R, int G, int B)[] _scale =
        [(0, 68, 1, 84), (0.25, 59, 82, 139), (0.5, 33, 145, 140), (0.75, 94, 201, 98), (1, 253, 231, 37)];

    private const int Margin = 24;
    private const int PanelWidth = 760;
    private const int AxisWidth = 26;
    private const string Font = "font-family:'DejaVu Sans',Arial,sans-serif";

    /// <summary>A raster panel, drawn cell by cell as its tiles stream in.</summary>
    private sealed record Grid(AcquisitionRaster Raster, long Left, long Top, int Cell);

    /// <summary>
    /// Writes the report's heatmap to <paramref name="output"/>. <paramref name="tiles"/> gives an acquisition's
    /// (raster_index, focus_score) in raster order: cells are written as the tiles arrive, so memory stays bounded
    /// however large the raster (a million positions make a ~200 MB picture, never a million objects at once).
    /// </summary>
    public static async Task WriteAsync(QualityReport report, Func<string, IAsyncEnumerable<(long Index, double? Focus)>> tiles, Stream output, CancellationToken ct)
    {
        var low = report.Focus.Min ?? 0;
        var high = report.Focus.Max ?? 1;
        if (high <= low)
        {
            high = low + 1;
        }
        var failing = report.FailingTiles.Where(t => t.RasterIndex is not null)
            .ToDictionary(t => (t.AcquisitionId, t.RasterIndex!.Value), t => t);
        var missing = report.MissingPositions.Select(p => (p.AcquisitionId, p.RasterIndex)).ToHashSet();

        // Laid out first (the root's size comes before its content), drawn after.
        var body = new List<object>();
        var y = Margin;
        // Cells are at least 4 px, so a raster wider than the panel widens the picture.
        var contentWidth = PanelWidth;
        var scopeName = report.Scope == "roi" ? $"ROI {report.RoiId}" : $"{report.AcquisitionId} (ROI {report.RoiId})";
        body.Add(Text(Margin, y + 16, $"Focus score — {scopeName}", 18, "bold"));
        body.Add(Text(Margin, y + 38,
            report.Verdict == QualityVerdict.InProgress
                ? $"still imaging · {report.TileCount} of {report.ExpectedTiles} tiles so far · {report.FailingTileCount} failing"
                : $"verdict {report.Verdict.ToUpperInvariant()} · {report.TileCount} of {report.ExpectedTiles} tiles · {report.MissingCount} missing · {report.FailingTileCount} failing",
            13, "normal", VerdictColour(report.Verdict)));
        y += 56;
        foreach (var acquisition in report.Acquisitions)
        {
            if (report.Acquisitions.Count > 1)
            {
                body.Add(Text(Margin, y + 14, $"{acquisition.AcquisitionId} · {acquisition.Rows} × {acquisition.Cols}", 13, "bold"));
                y += 22;
            }
            if (acquisition.Rows == 0 || acquisition.Cols == 0)
            {
                body.Add(Text(Margin, y + 14, "no raster to draw (no acquisition_settings.raster, no tile with a raster_position)", 12, "normal"));
                y += 28;
                continue;
            }
            var cell = Math.Clamp((PanelWidth - AxisWidth) / acquisition.Cols, 4, 32);
            contentWidth = Math.Max(contentWidth, AxisWidth + (acquisition.Cols * cell));
            var left = Margin + AxisWidth;
            y += AxisWidth / 2;
            var step = AxisStep(acquisition.Cols, cell);
            for (var col = 0; col < acquisition.Cols; col += step)
            {
                body.Add(Text(left + (col * cell) + (cell / 2.0), y - 4, col.ToString(CultureInfo.InvariantCulture), 10, "normal", "#666666", "middle"));
            }
            for (var row = 0; row < acquisition.Rows; row += AxisStep(acquisition.Rows, cell))
            {
                body.Add(Text(left - 4, y + (row * cell) + (cell / 2.0) + 3.5, row.ToString(CultureInfo.InvariantCulture), 10, "normal", "#666666", "end"));
            }
            body.Add(new Grid(acquisition, left, y, cell));
            y += (int)(acquisition.Rows * cell) + 16;
        }
        y = Legend(body, y, low, high, report.Focus.Threshold);
        var width = contentWidth + (2 * Margin);

        await using var writer = XmlWriter.Create(output, new XmlWriterSettings { Async = true, OmitXmlDeclaration = true, Encoding = new UTF8Encoding(false) });
        await writer.WriteStartElementAsync(null, "svg", _svg.NamespaceName);
        await writer.WriteAttributeStringAsync(null, "width", null, F(width));
        await writer.WriteAttributeStringAsync(null, "height", null, F(y + Margin));
        await writer.WriteAttributeStringAsync(null, "viewBox", null, $"0 0 {width} {y + Margin}");
        foreach (var part in new[]
        {
            new XElement(_svg + "title", $"Focus-score heatmap of {scopeName}"),
            new XElement(_svg + "defs",
                new XElement(_svg + "pattern", new XAttribute("id", "hatch"), new XAttribute("width", 6), new XAttribute("height", 6),
                    new XAttribute("patternUnits", "userSpaceOnUse"), new XAttribute("patternTransform", "rotate(45)"),
                    new XElement(_svg + "rect", new XAttribute("width", 6), new XAttribute("height", 6), new XAttribute("fill", "#e4e4e4")),
                    new XElement(_svg + "line", new XAttribute("x1", 0), new XAttribute("y1", 0), new XAttribute("x2", 0), new XAttribute("y2", 6),
                        new XAttribute("stroke", "#9a9a9a"), new XAttribute("stroke-width", 2))),
                Gradient()),
            new XElement(_svg + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "#ffffff")),
        })
        {
            await part.WriteToAsync(writer, ct);
        }
        foreach (var part in body)
        {
            if (part is XElement element)
            {
                await element.WriteToAsync(writer, ct);
                continue;
            }
            var (raster, left, top, cell) = (Grid)part;
            await writer.WriteStartElementAsync(null, "g", _svg.NamespaceName);
            await writer.WriteAttributeStringAsync(null, "class", null, "raster");
            await writer.WriteAttributeStringAsync(null, "data-acquisition", null, raster.AcquisitionId);
            // The stream and the raster both go in raster order: a tile is drawn when the walk reaches its index.
            await using var stream = tiles(raster.AcquisitionId).GetAsyncEnumerator(ct);
            var next = await stream.MoveNextAsync() ? stream.Current : ((long Index, double? Focus)?)null;
            for (long index = 0; index < raster.ExpectedTiles; index++)
            {
                (long, double?)? here = null;
                while (next is { } tile && tile.Index <= index)
                {
                    here = tile.Index == index ? tile : here;
                    next = await stream.MoveNextAsync() ? stream.Current : null;
                }
                var (row, col) = (index / raster.Cols, index % raster.Cols);
                await Cell(left + (col * cell), top + (row * cell), cell, row, col, index, raster.AcquisitionId, here?.Item2,
                    here is not null && !missing.Contains((raster.AcquisitionId, index)), failing.GetValueOrDefault((raster.AcquisitionId, index)), low, high)
                    .WriteToAsync(writer, ct);
            }
            await writer.WriteEndElementAsync();
        }
        await writer.WriteEndElementAsync();
    }

    private static XElement Cell(long x, long y, int size, long row, long col, long index, string acquisitionId, double? focus, bool present, FailingTile? failing, double low, double high)
    {
        var inner = Math.Max(size - 1, 1);
        var label = present
            ? $"row {row}, col {col} (raster_index {index}) · focus {(focus is { } f ? f.ToString("0.###", CultureInfo.InvariantCulture) : "n/a")}"
              + (failing is null ? "" : $" · {string.Join(", ", failing.Faults)}")
            : $"row {row}, col {col} (raster_index {index}) · missing";
        var rect = new XElement(_svg + "rect",
            new XAttribute("class", present ? (failing is null ? "cell" : "cell failing") : "cell missing"),
            new XAttribute("x", x), new XAttribute("y", y), new XAttribute("width", inner), new XAttribute("height", inner),
            new XAttribute("data-acquisition", acquisitionId), new XAttribute("data-row", row), new XAttribute("data-col", col),
            new XAttribute("fill", present ? (focus is { } v ? Colour((v - low) / (high - low)) : "#bdbdbd") : "url(#hatch)"),
            new XElement(_svg + "title", label));
        if (failing is null)
        {
            return rect;
        }
        var inset = Math.Min(1.0, inner / 4.0);
        var outline = new XElement(_svg + "rect", new XAttribute("class", "fault-outline"),
            new XAttribute("x", F(x + inset)), new XAttribute("y", F(y + inset)), new XAttribute("width", F(inner - (2 * inset))), new XAttribute("height", F(inner - (2 * inset))),
            new XAttribute("fill", "none"), new XAttribute("stroke", "#e3122b"), new XAttribute("stroke-width", F(Math.Max(1.0, inner / 7.0))),
            new XAttribute("pointer-events", "none"));
        return new XElement(_svg + "g", rect, outline);
    }

    private static int Legend(List<object> body, int y, double low, double high, double? threshold)
    {
        const int barWidth = 320;
        const int barHeight = 14;
        y += 8;
        body.Add(Text(Margin, y + 11, "focus score", 12, "bold"));
        var barX = Margin + 90;
        body.Add(new XElement(_svg + "rect", new XAttribute("class", "legend-bar"), new XAttribute("x", barX), new XAttribute("y", y),
            new XAttribute("width", barWidth), new XAttribute("height", barHeight), new XAttribute("fill", "url(#scale)"),
            new XAttribute("stroke", "#555"), new XAttribute("stroke-width", 0.5)));
        for (var i = 0; i <= 4; i++)
        {
            var value = low + ((high - low) * i / 4);
            var x = barX + (barWidth * i / 4);
            body.Add(new XElement(_svg + "line", new XAttribute("x1", x), new XAttribute("x2", x), new XAttribute("y1", y + barHeight), new XAttribute("y2", y + barHeight + 4),
                new XAttribute("stroke", "#555")));
            body.Add(Text(x, y + barHeight + 16, value.ToString("0.00", CultureInfo.InvariantCulture), 11, "normal", anchor: "middle"));
        }
        if (threshold is { } t && t >= low && t <= high)
        {
            var x = F(barX + (barWidth * (t - low) / (high - low)));
            body.Add(new XElement(_svg + "line", new XAttribute("x1", x), new XAttribute("x2", x), new XAttribute("y1", y - 4), new XAttribute("y2", y + barHeight + 2),
                new XAttribute("stroke", "#e3122b"), new XAttribute("stroke-width", 2)));
            body.Add(Text(barX + barWidth + 10, y + 11, $"blur threshold {t.ToString("0.###", CultureInfo.InvariantCulture)}", 11, "normal", "#e3122b"));
        }
        y += barHeight + 30;
        body.Add(new XElement(_svg + "rect", new XAttribute("x", Margin), new XAttribute("y", y), new XAttribute("width", 14), new XAttribute("height", 14), new XAttribute("fill", "url(#hatch)")));
        body.Add(Text(Margin + 20, y + 11, "missing position", 12, "normal"));
        body.Add(new XElement(_svg + "rect", new XAttribute("x", Margin + 150), new XAttribute("y", y), new XAttribute("width", 14), new XAttribute("height", 14),
            new XAttribute("fill", Colour(0.8)), new XAttribute("stroke", "#e3122b"), new XAttribute("stroke-width", 2)));
        body.Add(Text(Margin + 170, y + 11, "failing tile (hover a cell for its faults)", 12, "normal"));
        return y + 16;
    }

    private static XElement Gradient()
    {
        var gradient = new XElement(_svg + "linearGradient", new XAttribute("id", "scale"), new XAttribute("x1", "0"), new XAttribute("x2", "1"), new XAttribute("y1", "0"), new XAttribute("y2", "0"));
        foreach (var (at, r, g, b) in _scale)
        {
            gradient.Add(new XElement(_svg + "stop", new XAttribute("offset", F(at)), new XAttribute("stop-color", $"#{r:x2}{g:x2}{b:x2}")));
        }
        return gradient;
    }

    /// <summary>The colour at <paramref name="t"/> (0..1) of the scale, interpolated between its stops.</summary>
    public static string Colour(double t)
    {
        t = Math.Clamp(double.IsFinite(t) ? t : 0, 0, 1);
        for (var i = 1; i < _scale.Length; i++)
        {
            if (t <= _scale[i].At)
            {
                var (a, b) = (_scale[i - 1], _scale[i]);
                var f = (t - a.At) / (b.At - a.At);
                int Mix(int from, int to) => (int)Math.Round(from + ((to - from) * f));
                return $"#{Mix(a.R, b.R):x2}{Mix(a.G, b.G):x2}{Mix(a.B, b.B):x2}";
            }
        }
        return "#fde725";
    }

    /// <summary>Label every row/column when cells are large, else every 5th or 10th.</summary>
    private static int AxisStep(int count, int cell) => cell >= 18 ? 1 : cell >= 8 ? 5 : 10;

    private static XElement Text(double x, double y, string text, int size, string weight, string colour = "#222222", string anchor = "start") =>
        new(_svg + "text", new XAttribute("x", F(x)), new XAttribute("y", F(y)), new XAttribute("font-size", size), new XAttribute("font-weight", weight),
            new XAttribute("fill", colour), new XAttribute("text-anchor", anchor), new XAttribute("style", Font), text);

    private static string VerdictColour(string verdict) => verdict switch { "pass" => "#1b7f3b", "warn" => "#b26a00", QualityVerdict.InProgress => "#1d4ed8", _ => "#c0111f" };

    private static string F(double value) => Math.Round(value, 2).ToString(CultureInfo.InvariantCulture);
}
