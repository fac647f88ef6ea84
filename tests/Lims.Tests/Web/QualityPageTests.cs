using System.Globalization;
using Lims.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Lims.Tests.Web;

/// <summary>The quality page in Chromium over the demo lab's acquisitions with problems (ACQ-0002, ROI 9).</summary>
public sealed class QualityPageTests(WebAppFixture web) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task An_acquisition_with_problems_shows_its_verdict_heatmap_failing_tiles_and_CSV()
    {
        var report = (await web.Api.GetJsonAsync("/quality/acquisitions/ACQ-0002")).Object;
        var failing = report["failing_tiles"]!.AsArray();
        Assert.NotEmpty(failing);
        var page = await web.NewPageAsync();
        await page.GotoAsync("/app/quality?acquisition=ACQ-0002");

        await Expect(page.Locator("#quality-heading")).ToHaveTextAsync("ACQ-0002");
        await Expect(page.Locator("#quality-verdict")).ToHaveTextAsync(report["verdict"]!.GetValue<string>());
        await Expect(page.Locator("#quality-qc-status")).ToHaveTextAsync(report["qc_status"]!.GetValue<string>());
        await Expect(page.Locator("#quality-reasons li").First).ToHaveTextAsync(report["reasons"]![0]!.GetValue<string>());
        // The heatmap is the server's SVG, inline: one cell per expected raster position.
        var cells = page.Locator("#quality-heatmap svg rect.cell");
        await Expect(cells).ToHaveCountAsync(report["expected_tiles"]!.GetValue<int>());
        await Expect(page.Locator("#quality-heatmap svg rect.cell.failing")).ToHaveCountAsync(failing.Count);
        var rows = page.Locator("#failing-rows tr");
        await Expect(rows).ToHaveCountAsync(Math.Min(failing.Count, 200));
        var first = failing[0]!;
        var firstRow = page.Locator($"#failing-rows tr[data-tile='{first["tile_id"]!.GetValue<string>()}']");
        await Expect(firstRow.Locator(".fault")).ToHaveTextAsync(first["faults"]!.AsArray().Select(f => f!.GetValue<string>()).ToArray());
        await Expect(page.Locator("#quality-recommendation")).Not.ToBeEmptyAsync();
        var positions = report["reimage_positions"]!.AsArray().Count;
        if (report["qc_status"]!.GetValue<string>() == "to be re-imaged")
        {
            await Expect(page.Locator("#quality-recommendation")).ToContainTextAsync($"Re-image {positions.ToString(CultureInfo.InvariantCulture)} raster position");
        }
        await WebAppFixture.ScreenshotAsync(page, "quality-acquisition", fullPage: true);

        // The CSV is fetched with the key and offered as a download.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#quality-csv").ClickAsync());
        Assert.Equal("failing-tiles-acquisition-ACQ-0002.csv", download.SuggestedFilename);
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains(first["tile_id"]!.GetValue<string>(), csv, StringComparison.Ordinal);
        Assert.Equal(failing.Count + 1, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task The_lab_tree_links_an_ROI_to_its_quality_report()
    {
        // ROI 9: its seeded acquisition ACQ-0007 failed.
        var report = (await web.Api.GetJsonAsync("/quality/rois/9")).Object;
        var failing = report["failing_tiles"]!.AsArray().Count;
        Assert.True(failing > 0, "ROI 9 has failing tiles in the demo lab");
        var page = await web.NewPageAsync();
        await page.GotoAsync("/#/roi/9");
        await page.Locator("#quality-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/app/quality\?roi=9$"));
        await Expect(page.Locator("#quality-heading")).ToHaveTextAsync("ROI 9");
        await Expect(page.Locator("#quality-verdict")).ToHaveTextAsync(report["verdict"]!.GetValue<string>());
        await Expect(page.Locator("#quality-heatmap svg rect.cell")).ToHaveCountAsync(report["expected_tiles"]!.GetValue<int>());
        await Expect(page.Locator("#failing-rows tr")).ToHaveCountAsync(Math.Min(failing, 200));
        await WebAppFixture.ScreenshotAsync(page, "quality-roi", fullPage: true);
    }

    [Fact]
    public async Task Without_an_id_the_page_lists_failing_acquisitions_and_recent_reports_to_pick_from()
    {
        // A stored report to list (computed on demand), and the acquisitions the demo lab has failed or marked for re-imaging.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await web.Api.GetJsonAsync("/quality/acquisitions/ACQ-0002")).Status);
        var failed = (await web.Api.GetJsonAsync("/odata/Acquisitions?$filter=status in ('failed','to be re-imaged')&$select=acquisition_id"))
            .Object["value"]!.AsArray().Select(a => a!["acquisition_id"]!.GetValue<string>()).ToArray();
        Assert.NotEmpty(failed);

        var page = await web.NewPageAsync();
        await page.GotoAsync("/app/quality");
        await Expect(page.Locator("#failing-acquisitions a")).ToHaveCountAsync(failed.Length);
        foreach (var id in failed)
        {
            await Expect(page.Locator($"#failing-acquisitions a[data-id='{id}']")).ToBeVisibleAsync();
        }
        var recent = page.Locator("#recent-reports a[data-scope='acquisition'][data-id='ACQ-0002']");
        await Expect(recent).ToBeVisibleAsync();
        await WebAppFixture.ScreenshotAsync(page, "quality-overview", fullPage: true);

        await recent.ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/app/quality\?acquisition=ACQ-0002$"));
        await Expect(page.Locator("#quality-heading")).ToHaveTextAsync("ACQ-0002");
        await Expect(page.Locator("#quality-overview")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_still_imaging_acquisition_shows_its_progress_not_a_failure()
    {
        // ACQ-0004 is imaging in the demo lab.
        var report = (await web.Api.GetJsonAsync("/quality/acquisitions/ACQ-0004")).Object;
        var page = await web.NewPageAsync();
        await page.GotoAsync("/app/quality?acquisition=ACQ-0004");
        await Expect(page.Locator("#quality-verdict")).ToHaveTextAsync("in-progress");
        await Expect(page.Locator("#quality-qc-status")).ToHaveTextAsync("imaging");
        await Expect(page.Locator("#quality-reasons li").First).ToHaveTextAsync(report["reasons"]![0]!.GetValue<string>());
        await Expect(page.Locator("#quality-reasons li").First).ToContainTextAsync("still imaging");
        await Expect(page.Locator("#quality-recommendation")).ToContainTextAsync("Still imaging: QC judges the acquisition once it is acquired.");
        await WebAppFixture.ScreenshotAsync(page, "quality-in-progress", fullPage: true);
    }

    [Fact]
    public async Task An_unknown_acquisition_says_so()
    {
        var page = await web.NewPageAsync();
        await page.GotoAsync("/app/quality?acquisition=NO-SUCH-ACQ");
        await Expect(page.Locator("#quality-status")).ToHaveAttributeAsync("data-tone", "error");
        await Expect(page.Locator("#quality-status")).ToContainTextAsync("No report for acquisition NO-SUCH-ACQ");
        await Expect(page.Locator("#quality-report")).ToBeHiddenAsync();
    }
}
