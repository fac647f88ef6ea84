using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Lims.Jobs;
using Lims.Tests.Infrastructure;
using Lims.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace Lims.Tests.Quality;

/// <summary>
/// A 3 × 4 raster (8-bit, tiles 4000 px, overlap 0.1, so drift limit 40 px) with two holes and one tile of each fault;
/// every expected number below is worked out by hand from the table in <see cref="CraftedTiles"/>.
/// </summary>
public abstract class QualityReportTests(StoreFixture store)
{
    private HttpClient Client => store.Client;

    // index: focus, min, max, mean, std, match_quality, position, dX
    private static readonly (int Index, double Focus, double Min, double Max, double Mean, double Std, double Quality, string Position, double DX)[] _tiles =
    [
        (0, 0.80, 10, 240, 120, 20, 0.90, "right", 1),
        (1, 0.82, 12, 238, 121, 21, 0.95, "right", 1),
        // 2 missing
        (3, 0.30, 11, 239, 119, 19, 0.50, "left", 1),      // blurry: 0.30 < 0.5 × median 0.815
        (4, 0.78, 0, 5, 2, 1, 0.90, "right", 1),            // dark (5 < 12.75) and low contrast (1 < 2.55)
        (5, 0.79, 250, 255, 253, 1.5, 0.85, "right", 1),    // saturated (250 > 229.5) and low contrast
        (6, 0.84, 9, 241, 118, 22, 0.90, "right", 1),
        (7, 0.84, 9, 241, 118, 22, 0.90, "left", 1),        // frozen: same statistics as index 6
        (8, 0.81, 10, 240, 120.5, 20, 0.05, "invalid", 200), // invalid match (its dX is not a drift outlier)
        (9, 0.83, 11, 239, 121.5, 20.5, 0.70, "left", 55),  // drift: 55 > 40
        // 10 missing
        (11, 0.86, 10, 240, 120, 20, 0.92, "left", 1),
    ];

    private static JsonArray CraftedTiles(LabBuilder lab, string acquisitionId) =>
    [
        .. _tiles.Select(t => (JsonNode)new JsonObject
        {
            ["tile_id"] = $"{acquisitionId}-{t.Index}",
            ["raster_index"] = t.Index,
            ["raster_position"] = new JsonObject { ["row"] = t.Index / 4, ["col"] = t.Index % 4 },
            ["focus_score"] = t.Focus, ["min_value"] = t.Min, ["max_value"] = t.Max, ["mean_value"] = t.Mean, ["std_value"] = t.Std,
            ["matcher"] = new JsonArray(new JsonObject { ["row"] = 0, ["col"] = 0, ["dX"] = t.DX, ["dY"] = 0.5, ["match_quality"] = t.Quality, ["position"] = t.Position }),
        }),
    ];

    private async Task<LabBuilder> CraftedLabAsync()
    {
        var lab = await new LabBuilder(Client).WithAcquisitionAsync(3, 4);
        var reply = await Client.PostJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')/tiles", CraftedTiles(lab, lab.AcquisitionId));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        await lab.MarkAcquiredAsync();
        return lab;
    }

    [Fact]
    public async Task Crafted_acquisition_report_matches_hand_computed_numbers_and_faults()
    {
        var lab = await CraftedLabAsync();

        var report = (await HttpJson.GetJsonAsync(Client, $"/quality/acquisitions/{lab.AcquisitionId}")).Object;

        Assert.Equal($"acquisition:{lab.AcquisitionId}", report["report_id"]!.GetValue<string>());
        Assert.Equal(lab.RoiId, report["roi_id"]!.GetValue<long>());
        Assert.Equal((12L, 10L, 2L), (Long(report, "expected_tiles"), Long(report, "tile_count"), Long(report, "missing_count")));
        Assert.Equal(new long[] { 2, 10 }, report["missing_positions"]!.AsArray().Select(p => p!["raster_index"]!.GetValue<long>()));
        Assert.Equal(new long[] { 0, 2 }, report["missing_positions"]!.AsArray().Select(p => p!["row"]!.GetValue<long>()));
        Assert.Equal(new long[] { 2, 2 }, report["missing_positions"]!.AsArray().Select(p => p!["col"]!.GetValue<long>()));

        var focus = report["focus"]!;
        Assert.Equal(0.30, Double(focus, "min"), 9);
        Assert.Equal(0.30 + (0.45 * (0.78 - 0.30)), Double(focus, "p5"), 6);
        Assert.Equal(0.815, Double(focus, "median"), 9);
        Assert.Equal(0.767, Double(focus, "mean"), 6);
        Assert.Equal(0.86, Double(focus, "max"), 9);
        Assert.Equal(0.4075, Double(focus, "threshold"), 9);
        Assert.Equal(1, Long(focus, "below_threshold"));

        var intensity = report["intensity"]!;
        Assert.Equal((1L, 1L, 2L), (Long(intensity, "dark_tiles"), Long(intensity, "saturated_tiles"), Long(intensity, "low_contrast_tiles")));
        Assert.Equal((2.0, 253.0, 1.0, 22.0), (Double(intensity, "mean_min"), Double(intensity, "mean_max"), Double(intensity, "std_min"), Double(intensity, "std_max")));
        Assert.Equal(1, Long(report, "frozen_frames"));

        var matcher = report["matcher"]!;
        Assert.Equal(10, Long(matcher, "entries"));
        Assert.Equal(0.9, Double(matcher, "median_match_quality"), 9);
        Assert.Equal((1L, 1L, 1L, 1L), (Long(matcher, "invalid_entries"), Long(matcher, "invalid_tiles"), Long(matcher, "drift_outliers"), Long(matcher, "drift_tiles")));
        Assert.Equal(40, Double(report["acquisitions"]![0]!, "drift_limit_px"), 9);

        var faults = report["failing_tiles"]!.AsArray().ToDictionary(
            t => t!["raster_index"]!.GetValue<long>(), t => string.Join(",", t!["faults"]!.AsArray().Select(f => f!.GetValue<string>())));
        Assert.Equal(new Dictionary<long, string>
        {
            [3] = "blurry",
            [4] = "dark,low-contrast",
            [5] = "saturated,low-contrast",
            [7] = "frozen",
            [8] = "invalid-match",
            [9] = "drift",
        }, faults);
        Assert.Equal(6, Long(report, "failing_tile_count"));
        Assert.All(report["failing_tiles"]!.AsArray(), t => Assert.Equal(t!["faults"]!.AsArray().Count, t["reasons"]!.AsArray().Count));

        // 2 missing > 0 and 6 of 12 failing > 1 %: fail; 8 of 12 positions to redo > 25 %: not repairable by re-imaging.
        Assert.Equal("fail", report["verdict"]!.GetValue<string>());
        Assert.Equal("failed", report["qc_status"]!.GetValue<string>());
        Assert.Equal(new long[] { 2, 3, 4, 5, 7, 8, 9, 10 }, report["reimage_positions"]!.AsArray().Select(p => p!["raster_index"]!.GetValue<long>()));
    }

    [Fact]
    public async Task A_still_imaging_acquisition_reports_its_coverage_so_far_not_a_failure()
    {
        var lab = await new LabBuilder(Client).WithAcquisitionAsync(3, 4);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')/tiles", CraftedTiles(lab, lab.AcquisitionId))).Status);

        var report = (await HttpJson.GetJsonAsync(Client, $"/quality/acquisitions/{lab.AcquisitionId}?refresh=true")).Object;

        Assert.Equal(("in-progress", "imaging"), (report["verdict"]!.GetValue<string>(), report["qc_status"]!.GetValue<string>()));
        Assert.Equal("still imaging: 10 of 12 raster positions so far (83.33%)", report["reasons"]![0]!.GetValue<string>());
        Assert.Equal("6 tile(s) with faults so far", report["reasons"]![1]!.GetValue<string>());
        // Positions not imaged yet are not to be re-imaged: only the failing tiles are.
        Assert.Equal(new long[] { 3, 4, 5, 7, 8, 9 }, report["reimage_positions"]!.AsArray().Select(p => p!["raster_index"]!.GetValue<long>()));
        var svg = (await HttpJson.GetJsonAsync(Client, $"/quality/acquisitions/{lab.AcquisitionId}/heatmap.svg")).Body!.GetValue<string>();
        Assert.Contains("still imaging · 10 of 12 tiles so far", svg, StringComparison.Ordinal);

        await lab.MarkAcquiredAsync();
        var judged = (await HttpJson.GetJsonAsync(Client, $"/quality/acquisitions/{lab.AcquisitionId}?refresh=true")).Object;
        Assert.Equal("fail", judged["verdict"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_a_declared_raster_the_report_and_heatmap_infer_it_from_the_tiles_positions()
    {
        var lab = await new LabBuilder(Client).WithRoiAsync();
        await lab.Create("AcquisitionTasks", new JsonObject { ["task_id"] = lab.TaskId, ["roi_id"] = lab.RoiId });
        var acquisition = lab.Acquisition(lab.AcquisitionId, 3, 4);
        acquisition["acquisition_settings"]!.AsObject().Remove("raster");
        await lab.Create("Acquisitions", acquisition);
        // Positions 2 and 10 missing; the last row is complete, so 3 × 4 is what the tiles say.
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')/tiles", CraftedTiles(lab, lab.AcquisitionId))).Status);
        await lab.MarkAcquiredAsync();

        var report = (await HttpJson.GetJsonAsync(Client, $"/quality/acquisitions/{lab.AcquisitionId}?refresh=true")).Object;

        var raster = report["acquisitions"]![0]!;
        Assert.Equal((3L, 4L), (Long(raster, "rows"), Long(raster, "cols")));
        Assert.Equal((12L, 2L), (Long(report, "expected_tiles"), Long(report, "missing_count")));
        var svg = XDocument.Parse((await HttpJson.GetJsonAsync(Client, $"/quality/acquisitions/{lab.AcquisitionId}/heatmap.svg")).Body!.GetValue<string>());
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(12, svg.Descendants(ns + "rect").Count(r => ((string?)r.Attribute("class"))?.Split(' ').Contains("cell") == true));
    }

    [Fact]
    public async Task Job_stores_both_reports_and_sets_the_rollups_and_dashboards_filter_on_verdict()
    {
        var lab = await CraftedLabAsync();
        var job = store.App.Services.GetServices<IJobHandler>().Single(h => h.Job == "quality-report");

        await job.RunAsync(lab.AcquisitionId, default);

        var acquisition = (await HttpJson.GetJsonAsync(Client, $"/odata/Acquisitions('{lab.AcquisitionId}')")).Object;
        Assert.Equal((10L, 6L), (Long(acquisition, "tile_count"), Long(acquisition, "failed_tile_count")));
        Assert.Equal(0.9, Double(acquisition, "median_match_quality"), 9);
        Assert.Equal(0.767, Double(acquisition, "avg_focus_score"), 9);
        var failing = await HttpJson.GetJsonAsync(Client, $"/odata/QualityReports?$filter=verdict eq 'fail' and roi_id eq {lab.RoiId}&$select=report_id,verdict&$orderby=report_id");
        Assert.Equal(HttpStatusCode.OK, failing.Status);
        Assert.Equal(new[] { $"acquisition:{lab.AcquisitionId}", $"roi:{lab.RoiId}" }, failing.Value.Select(r => r!["report_id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Client.PostJsonAsync("/odata/QualityReports", new JsonObject { ["report_id"] = "x" })).Status);
    }

    [Fact]
    public async Task Job_derives_the_roi_report_of_a_single_acquisition_with_the_figures_a_full_merge_gives()
    {
        var lab = await CraftedLabAsync();
        var job = store.App.Services.GetServices<IJobHandler>().Single(h => h.Job == "quality-report");
        await job.RunAsync(lab.AcquisitionId, default);

        var derived = (await HttpJson.GetJsonAsync(Client, $"/quality/rois/{lab.RoiId}")).Object;
        var merged = (await HttpJson.GetJsonAsync(Client, $"/quality/rois/{lab.RoiId}?refresh=true")).Object;

        JsonObject Figures(JsonObject report)
        {
            var copy = (JsonObject)report.DeepClone();
            foreach (var when in new[] { "computed_at", "created_at", "updated_at" })
            {
                copy.Remove(when);
            }
            return copy;
        }
        Assert.Equal(($"roi:{lab.RoiId}", "roi"), (derived["report_id"]!.GetValue<string>(), derived["scope"]!.GetValue<string>()));
        Assert.Null(derived["acquisition_id"]);
        Assert.Equal(Figures(merged).ToJsonString(), Figures(derived).ToJsonString());
        Assert.Equal(6, Long(derived, "failing_tile_count"));
    }

    [Fact]
    public async Task Roi_report_counts_only_current_acquisitions()
    {
        var lab = await CraftedLabAsync();
        var retake = lab.Acquisition($"{lab.AcquisitionId}-B", 3, 4);
        retake["replaces_acquisition_id"] = lab.AcquisitionId;
        await lab.Create("Acquisitions", retake);
        var tiles = new JsonArray([.. Enumerable.Range(0, 12).Select(i => (JsonNode)lab.Tile(i / 4, i % 4, 4, focus: 0.8, acquisitionId: $"{lab.AcquisitionId}-B"))]);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}-B')/tiles", tiles)).Status);
        await lab.MarkAcquiredAsync($"{lab.AcquisitionId}-B");

        var report = (await HttpJson.GetJsonAsync(Client, $"/quality/rois/{lab.RoiId}?refresh=true")).Object;

        Assert.Equal(new[] { $"{lab.AcquisitionId}-B" }, report["acquisitions"]!.AsArray().Select(a => a!["acquisition_id"]!.GetValue<string>()));
        Assert.Equal((12L, 12L, 0L, 0L), (Long(report, "expected_tiles"), Long(report, "tile_count"), Long(report, "missing_count"), Long(report, "failing_tile_count")));
        Assert.Equal("pass", report["verdict"]!.GetValue<string>());
    }

    [Fact]
    public async Task Heatmap_is_well_formed_svg_with_one_cell_per_raster_position()
    {
        var lab = await CraftedLabAsync();

        var reply = await HttpJson.GetJsonAsync(Client, $"/quality/acquisitions/{lab.AcquisitionId}/heatmap.svg");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("image/svg+xml", reply.Response.Content.Headers.ContentType!.MediaType);
        var svg = XDocument.Parse(reply.Body!.GetValue<string>());
        XNamespace ns = "http://www.w3.org/2000/svg";
        var cells = svg.Descendants(ns + "rect").Where(r => ((string?)r.Attribute("class"))?.Split(' ').Contains("cell") == true).ToList();
        Assert.Equal(12, cells.Count);
        Assert.Equal(12, cells.Select(c => ((string)c.Attribute("data-row")!, (string)c.Attribute("data-col")!)).Distinct().Count());
        Assert.Equal(["0,2", "2,2"], cells.Where(c => ((string)c.Attribute("class")!).Contains("missing", StringComparison.Ordinal))
            .Select(c => $"{c.Attribute("data-row")!.Value},{c.Attribute("data-col")!.Value}").Order());
        Assert.Equal(6, cells.Count(c => ((string)c.Attribute("class")!).Contains("failing", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Heatmap_of_a_raster_wider_than_the_panel_widens_to_show_every_cell()
    {
        var lab = await new LabBuilder(Client).WithAcquisitionAsync(2, 300);
        var tiles = new JsonArray([.. Enumerable.Range(0, 300).Select(col => (JsonNode)lab.Tile(col % 2, col, 300))]);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')/tiles", tiles)).Status);

        var svg = XDocument.Parse((await HttpJson.GetJsonAsync(Client, $"/quality/acquisitions/{lab.AcquisitionId}/heatmap.svg")).Body!.GetValue<string>());

        XNamespace ns = "http://www.w3.org/2000/svg";
        var cells = svg.Descendants(ns + "rect").Where(r => ((string?)r.Attribute("class"))?.Split(' ').Contains("cell") == true).ToList();
        Assert.Equal(600, cells.Count);
        Assert.Equal(300, cells.Count(c => ((string)c.Attribute("class")!).Contains("missing", StringComparison.Ordinal)));
        var width = double.Parse((string)svg.Root!.Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(cells, c => Assert.True((double)c.Attribute("x")! + (double)c.Attribute("width")! <= width, $"cell at x {c.Attribute("x")} outside the picture ({width} wide)"));
    }

    [Fact]
    public async Task Csv_lists_the_failing_tiles_with_their_faults()
    {
        var lab = await CraftedLabAsync();

        var reply = await HttpJson.GetJsonAsync(Client, $"/quality/acquisitions/{lab.AcquisitionId}/failing-tiles.csv");

        var lines = reply.Body!.GetValue<string>().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("acquisition_id,tile_id,raster_index,row,col,focus_score,faults,reasons", lines[0]);
        Assert.Equal(7, lines.Length);
        Assert.StartsWith($"{lab.AcquisitionId},{lab.AcquisitionId}-4,4,1,0,0.78,dark;low-contrast,", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluator_maps_the_verdict_to_a_qc_status_with_positions_to_redo()
    {
        var lab = await CraftedLabAsync();
        var evaluator = store.App.Services.GetRequiredService<IAcquisitionEvaluator>();

        var outcome = await evaluator.EvaluateAsync(lab.AcquisitionId, default);

        Assert.Equal("failed", outcome.Status);
        Assert.Contains("2 raster position(s) missing", outcome.Reason, StringComparison.Ordinal);
    }

    private static long Long(JsonNode node, string field) => node[field]!.GetValue<long>();

    private static double Double(JsonNode node, string field) => node[field]!.GetValue<double>();
}

public sealed class QualityReportSqliteTests(SqliteStore store) : QualityReportTests(store), IClassFixture<SqliteStore>;

public sealed class QualityReportPostgresTests(PostgresStore store) : QualityReportTests(store), IClassFixture<PostgresStore>;
