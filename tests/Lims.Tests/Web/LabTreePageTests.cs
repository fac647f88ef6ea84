using System.Globalization;
using Lims.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Lims.Tests.Web;

/// <summary>The lab tree page in Chromium over the demo lab: counts on every level, search, lineage.</summary>
public sealed class LabTreePageTests(WebAppFixture web) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task The_seeded_lab_shows_counts_on_each_level_and_the_lineage_of_a_found_item()
    {
        var page = await web.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.Locator("#tree-count")).ToHaveTextAsync("2 specimens");
        var specimen = page.Locator("[data-node='specimen:MOUSE-V1-001'] > .row");
        await Expect(specimen.Locator(".count")).ToHaveTextAsync($"{await CountAsync("Specimens('MOUSE-V1-001')/blocks")} blocks");

        // Keyboard: the first item takes focus with Tab, Right opens it, Down moves to its first block.
        await page.Locator("[role='treeitem'][tabindex='0']").FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(page.Locator("[data-node='specimen:MOUSE-V1-001']")).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(page.Locator("[data-node='block:MOUSE-V1-001-B1']")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(page.Locator("[data-node='block:MOUSE-V1-001-B1']")).ToBeFocusedAsync();
        await Expect(page.Locator("[data-node='block:MOUSE-V1-001-B1'] > .row .count"))
            .ToHaveTextAsync($"{await CountAsync("Blocks('MOUSE-V1-001-B1')/cutting_sessions")} cutting session");

        // A barcode shared by a section (text) and its ROI (number): both are offered.
        await page.GetByLabel("Find by id or barcode").FillAsync("101002");
        await page.GetByLabel("Find by id or barcode").PressAsync("Enter");
        await Expect(page.Locator("#search-results li")).ToHaveCountAsync(2);
        await page.Locator("#search-results a", new() { HasText = "ROI 1" }).ClickAsync();

        var lineage = page.Locator("nav.lineage li");
        await Expect(lineage).ToHaveTextAsync(["Specimen MOUSE-V1-001", "Block MOUSE-V1-001-B1", "Cutting session CS1", "Section CS1-S0003", "ROI 1"]);
        await Expect(page.Locator("[data-node='roi:1']")).ToBeFocusedAsync();
        await Expect(page.Locator("[data-node='roi:1']")).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(page.Locator("[data-node='section:CS1-S0003'] > .row .count")).ToHaveTextAsync("1 ROI");
        await Expect(page.Locator("[data-node='session:CS1'] > .row .count"))
            .ToHaveTextAsync($"{await CountAsync("CuttingSessions('CS1')/sections")} sections");
        await WebAppFixture.ScreenshotAsync(page, "lab-tree-roi-lineage");

        // Down to a tile by its address: the acquisition shows its tile count, the tile its whole lineage.
        await page.GotoAsync("/#/tile/ACQ-0001-r000-c001");
        await Expect(lineage).ToHaveTextAsync([
            "Specimen MOUSE-V1-001", "Block MOUSE-V1-001-B1", "Cutting session CS1", "Section CS1-S0003", "ROI 1",
            "Acquisition ACQ-0001", "Tile ACQ-0001-r000-c001",
        ]);
        var tiles = await CountAsync("Acquisitions('ACQ-0001')/tiles");
        await Expect(page.Locator("[data-node='acquisition:ACQ-0001'] > .row .count")).ToHaveTextAsync($"{tiles.ToString("N0", CultureInfo.InvariantCulture)} tiles");
        await Expect(page.Locator("[data-node='tile:ACQ-0001-r000-c001']")).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(page.Locator("[data-node='acquisition:ACQ-0001'] > ul > [role='treeitem'][data-level='tile']")).ToHaveCountAsync(Math.Min(tiles, 100));
        await WebAppFixture.ScreenshotAsync(page, "lab-tree-tile-lineage");
    }

    [Fact]
    public async Task The_tree_fits_a_tablet_with_details_below_the_tree()
    {
        var page = await web.NewPageAsync(820, 1180);
        await page.GotoAsync("/#/section/CS1-S0005");
        await Expect(page.Locator("nav.lineage li").Last).ToHaveTextAsync("Section CS1-S0005");
        var tree = await page.Locator(".tree-card").BoundingBoxAsync();
        var details = await page.Locator(".details-card").BoundingBoxAsync();
        Assert.True(details!.Y >= tree!.Y + tree.Height, "on a tablet the details sit below the tree");
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 820, $"no horizontal scrolling on a tablet, page is {width}px wide");
        await WebAppFixture.ScreenshotAsync(page, "lab-tree-tablet", fullPage: true);
    }

    [Fact]
    public async Task An_unknown_id_says_so()
    {
        var page = await web.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Find by id or barcode").FillAsync("NO-SUCH-THING");
        await page.GetByLabel("Find by id or barcode").PressAsync("Enter");
        await Expect(page.Locator("#tree-status")).ToHaveTextAsync("Nothing has the id or barcode “NO-SUCH-THING”.");
    }

    private async Task<int> CountAsync(string path)
    {
        var reply = await web.Api.GetJsonAsync($"/odata/{path}/$count");
        return int.Parse(reply.Body!.GetValue<string>(), CultureInfo.InvariantCulture);
    }
}
