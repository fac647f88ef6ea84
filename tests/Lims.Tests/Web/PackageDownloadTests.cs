using Lims.Tests.Infrastructure;
using Lims.Tests.Packages;

namespace Lims.Tests.Web;

/// <summary>The lab tree's "Download package" action in Chromium, on the demo lab.</summary>
public sealed class PackageDownloadTests(WebAppFixture web) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task An_acquisition_downloads_as_a_package_holding_its_tiles()
    {
        var tiles = (await web.Api.GetJsonAsync("/odata/Tiles/$count?$filter=acquisition_id eq 'ACQ-0006'")).Body!.GetValue<string>();
        var page = await web.NewPageAsync();
        await page.GotoAsync("/#/acquisition/ACQ-0006");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#package-download").ClickAsync());

        Assert.Equal("lims-acquisitions-ACQ-0006.tar.gz", download.SuggestedFilename);
        var entries = PackageFiles.Entries(await File.ReadAllBytesAsync((await download.PathAsync())!));
        var manifest = PackageFiles.Manifest(entries);
        Assert.Equal(long.Parse(tiles, System.Globalization.CultureInfo.InvariantCulture), manifest["counts"]!["Tiles"]!.GetValue<long>());
        Assert.Equal("ACQ-0006", manifest["request"]!["key"]!.GetValue<string>());
        Assert.Contains(entries, e => e.Path == "tiles/ACQ-0006.parquet");
    }

    [Fact]
    public async Task A_section_has_no_package_action()
    {
        var section = (await web.Api.GetJsonAsync("/odata/Sections?$top=1")).Value[0]!["section_id"]!.GetValue<string>();
        var page = await web.NewPageAsync();
        await page.GotoAsync($"/#/section/{section}");

        await Microsoft.Playwright.Assertions.Expect(page.Locator("#details-title")).Not.ToBeEmptyAsync();
        Assert.Equal(0, await page.Locator("#package-download").CountAsync());
    }
}
