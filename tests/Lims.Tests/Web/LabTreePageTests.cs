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
    public async Task On_a_tablet_the_selected_item_is_on_screen_without_scrolling()
    {
        var page = await web.NewPageAsync(820, 1180);
        // A long tree: the acquisition's first 100 tiles are listed under it.
        await page.GotoAsync("/#/tile/ACQ-0001-r000-c001");
        await Expect(page.Locator("nav.lineage li").Last).ToHaveTextAsync("Tile ACQ-0001-r000-c001");
        var lastTile = page.Locator("[data-node='acquisition:ACQ-0001'] > ul > [data-level='tile']").Last;
        var lastTileId = await lastTile.GetAttributeAsync("data-key");
        await lastTile.Locator(".row").ClickAsync();
        await Expect(page.Locator("#details-title")).ToHaveTextAsync(lastTileId!);
        await Expect(page.Locator("#details-title")).ToBeInViewportAsync();
        await Expect(lastTile).ToBeInViewportAsync();
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 820, $"no horizontal scrolling on a tablet, page is {width}px wide");
        await WebAppFixture.ScreenshotAsync(page, "lab-tree-tablet");
    }

    [Theory]
    [InlineData("section/CS1-S0003", "Section CS1-S0003")]
    [InlineData("tile/ACQ-0001-r000-c001", "Tile ACQ-0001-r000-c001")]
    [InlineData("roi/1", "ROI 1")]
    public async Task Bug_details_panel_shows_a_stray_null(string address, string last)
    {
        var page = await web.NewPageAsync();
        await page.GotoAsync("/#/" + address);
        await Expect(page.Locator("nav.lineage li").Last).ToHaveTextAsync(last);
        var text = await page.Locator("#details").InnerTextAsync();
        Assert.DoesNotMatch(@"\bnull\b", text);
    }

    [Fact]
    public async Task Without_a_key_the_page_says_where_a_technician_gets_one()
    {
        var page = await web.NewPageAsync(apiKey: null);
        await page.GotoAsync("/");
        var message = page.Locator("#tree-status");
        await Expect(message).ToContainTextAsync("No API key entered");
        await Expect(message).ToContainTextAsync("Lims administrator");
        await Expect(message).Not.ToContainTextAsync("X-Api-Key");
        await Expect(page.Locator("#api-key-state")).ToHaveTextAsync("no key");
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
