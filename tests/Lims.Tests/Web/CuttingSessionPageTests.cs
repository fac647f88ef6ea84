using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lims.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Lims.Tests.Web;

/// <summary>The "Log cutting session" page in Chromium: starting a session, adding sections from the keyboard,
/// errors beside their fields, and a dropped connection that neither loses nor duplicates a section.</summary>
public sealed class CuttingSessionPageTests(WebAppFixture web) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task Logging_a_session_with_three_sections_shows_them_in_the_tree_and_through_OData()
    {
        var lab = await BlockWithSubstrateAsync();
        var page = await web.NewPageAsync();
        await page.GotoAsync("/app/cutting");

        await page.GetByLabel("Block").FillAsync(lab.BlockId);
        await page.GetByLabel("Operator").FillAsync("ana");
        await page.GetByLabel("Sectioning device").FillAsync("Leica EM UC7");
        await page.GetByLabel("Knife").FillAsync("K-17");
        await Expect(page.Locator("#session-id-preview")).ToContainTextAsync($"CS-{lab.BlockId}-");
        await WebAppFixture.ScreenshotAsync(page, "cutting-session-start");
        await page.GetByLabel("Knife").PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(new Regex(@"/app/cutting\?session="));
        await Expect(page.Locator("#session-title")).Not.ToBeEmptyAsync();
        var sessionId = (await page.Locator("#session-title").TextContentAsync())!.Trim();
        Assert.StartsWith($"CS-{lab.BlockId}-", sessionId, StringComparison.Ordinal);
        var number = page.GetByLabel("Section number");
        await Expect(number).ToHaveValueAsync("1");
        await page.GetByLabel("Substrate").SelectOptionAsync(lab.MediaId);
        await Expect(page.GetByLabel("Aperture")).ToHaveValueAsync("A0");

        // Three sections, keyboard only: each Enter saves and leaves the number field ready for the next.
        string[] qualities = ["good", "thin", "good"];
        for (var n = 1; n <= 3; n++)
        {
            await Expect(number).ToHaveValueAsync(n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.GetByLabel("Quality").SelectOptionAsync(qualities[n - 1]);
            await page.GetByLabel("Thickness (µm)").FillAsync("0.045");
            await number.FocusAsync();
            await number.PressAsync("Enter");
            await Expect(page.Locator("#section-status")).ToHaveTextAsync($"Section {n} saved.");
            await Expect(number).ToBeFocusedAsync();
        }
        await Expect(page.Locator("#section-rows tr")).ToHaveCountAsync(3);
        await WebAppFixture.ScreenshotAsync(page, "cutting-session-three-sections", fullPage: true);

        var stored = await web.Api.GetJsonAsync($"/odata/Sections?$filter=cutting_session_id eq '{sessionId}'&$orderby=section_number");
        Assert.Equal([1, 2, 3], stored.Value.Select(s => s!["section_number"]!.GetValue<int>()));
        Assert.Equal([$"{sessionId}-S0001", $"{sessionId}-S0002", $"{sessionId}-S0003"], stored.Value.Select(s => s!["section_id"]!.GetValue<string>()));
        Assert.Equal(["A0", "A1", "A2"], stored.Value.Select(s => s!["aperture_uid"]!.GetValue<string>()));
        Assert.Equal(qualities, stored.Value.Select(s => s!["section_metrics"]!["quality"]!.GetValue<string>()));
        Assert.All(stored.Value, s => Assert.Equal(lab.SpecimenId, s!["specimen_id"]!.GetValue<string>()));

        await page.GotoAsync($"/#/session/{Uri.EscapeDataString(sessionId)}");
        var sessionRow = page.Locator($"[data-node='session:{sessionId}'] > .row");
        await Expect(sessionRow.Locator(".count")).ToHaveTextAsync("3 sections");
        await sessionRow.ClickAsync();
        foreach (var n in new[] { 1, 2, 3 })
        {
            await Expect(page.Locator($"[data-node='section:{sessionId}-S{n:0000}']")).ToBeVisibleAsync();
        }
        await WebAppFixture.ScreenshotAsync(page, "cutting-session-in-tree");
    }

    [Fact]
    public async Task Recent_sessions_read_as_block_time_and_operator_not_bare_ids()
    {
        var page = await web.NewPageAsync();
        await page.GotoAsync("/app/cutting");
        var first = page.Locator("#recent-sessions a").First;
        await Expect(first).ToBeVisibleAsync();
        var sessionId = await first.GetAttributeAsync("data-session");
        var stored = (await web.Api.GetJsonAsync($"/odata/CuttingSessions('{sessionId}')")).Object;
        await Expect(first.Locator(".recent-block")).ToHaveTextAsync($"Block {stored["block_id"]!.GetValue<string>()}");
        if (stored["operator"] is JsonValue op)
        {
            await Expect(first.Locator(".recent-meta")).ToContainTextAsync(op.GetValue<string>());
        }
        await Expect(first.Locator(".recent-id")).ToHaveTextAsync(sessionId!);
    }

    [Fact]
    public async Task A_validation_error_is_shown_beside_its_field()
    {
        var lab = await BlockWithSubstrateAsync();
        var sessionId = await SessionAsync(lab);
        await lab.Create("Sections", Section(lab, sessionId, 1));
        var page = await web.NewPageAsync();
        await page.GotoAsync($"/app/cutting?session={sessionId}");
        var number = page.GetByLabel("Section number");
        await Expect(number).ToHaveValueAsync("2");

        // A number already logged: the server's 409 lands beside the number field.
        await number.FillAsync("1");
        await number.PressAsync("Enter");
        await Expect(page.Locator("#section-number-error")).ToHaveTextAsync("Section 1 is already logged in this session.");
        await Expect(number).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(number).ToBeFocusedAsync();
        await Expect(page.Locator("#thickness-error")).ToBeEmptyAsync();
        await WebAppFixture.ScreenshotAsync(page, "cutting-session-duplicate-number");

        // A nested field (section_metrics/thickness_um) finds its input too; the number error is gone.
        await number.FillAsync("2");
        await page.GetByLabel("Thickness (µm)").FillAsync("-1");
        await page.GetByLabel("Thickness (µm)").PressAsync("Enter");
        // Named by its label, not by its API path ('section_metrics/thickness_um').
        await Expect(page.Locator("#thickness-error")).ToHaveTextAsync("Thickness (µm) must be at least 0.");
        await Expect(page.Locator("#section-number-error")).ToBeEmptyAsync();
        await WebAppFixture.ScreenshotAsync(page, "cutting-session-invalid-thickness");

        var stored = await web.Api.GetJsonAsync($"/odata/CuttingSessions('{sessionId}')/sections/$count");
        Assert.Equal("1", stored.Body!.GetValue<string>());
    }

    [Fact]
    public async Task A_section_whose_reply_is_lost_or_sent_offline_is_stored_exactly_once()
    {
        var lab = await BlockWithSubstrateAsync();
        var sessionId = await SessionAsync(lab);
        var page = await web.NewPageAsync();

        // The first POST reaches the server and is stored, but the browser never sees the reply.
        var dropped = 0;
        await page.RouteAsync(url => url.EndsWith("/odata/Sections", StringComparison.Ordinal), async route =>
        {
            if (route.Request.Method == "POST" && Interlocked.Increment(ref dropped) == 1)
            {
                await route.FetchAsync();
                await route.AbortAsync("connectionreset");
                return;
            }
            await route.ContinueAsync();
        });
        await page.GotoAsync($"/app/cutting?session={sessionId}");
        await page.GetByLabel("Substrate").SelectOptionAsync(lab.MediaId);
        var number = page.GetByLabel("Section number");
        await Expect(number).ToHaveValueAsync("1");
        await number.PressAsync("Enter");
        await Expect(page.Locator("#section-status")).ToHaveTextAsync("Section 1 saved once the connection came back.");
        await Expect(number).ToHaveValueAsync("2");

        // Offline for a moment: the entry waits and goes out once the network is back.
        await page.Context.SetOfflineAsync(true);
        await number.PressAsync("Enter");
        await Expect(page.Locator("#section-status")).ToContainTextAsync("Connection lost");
        await WebAppFixture.ScreenshotAsync(page, "cutting-session-offline");
        await page.Context.SetOfflineAsync(false);
        await Expect(page.Locator("#section-status")).ToHaveTextAsync("Section 2 saved once the connection came back.");
        await Expect(page.Locator("#section-rows tr")).ToHaveCountAsync(2);

        var stored = await web.Api.GetJsonAsync($"/odata/Sections?$filter=cutting_session_id eq '{sessionId}'&$orderby=section_number&$select=section_number");
        Assert.Equal([1, 2], stored.Value.Select(s => s!["section_number"]!.GetValue<int>()));
    }

    private async Task<LabBuilder> BlockWithSubstrateAsync()
    {
        var lab = new LabBuilder(web.Api);
        await lab.Create("Specimens", new JsonObject { ["specimen_id"] = lab.SpecimenId, ["description"] = "browser test specimen" });
        await lab.Create("Blocks", new JsonObject { ["block_id"] = lab.BlockId, ["specimen_id"] = lab.SpecimenId });
        await lab.Create("Substrates", new JsonObject
        {
            ["media_id"] = lab.MediaId,
            ["media_type"] = "tape",
            ["status"] = "in_use",
            ["apertures"] = new JsonArray([.. Enumerable.Range(0, 5).Select(i => (JsonNode)new JsonObject { ["uid"] = $"A{i}", ["index"] = i })]),
        });
        return lab;
    }

    private static async Task<string> SessionAsync(LabBuilder lab)
    {
        await lab.Create("CuttingSessions", new JsonObject
        {
            ["cutting_session_id"] = lab.CuttingSessionId,
            ["block_id"] = lab.BlockId,
            ["operator"] = "ana",
            ["start_time"] = "2026-03-04T09:00:00Z",
            ["media_type"] = "tape",
        });
        return lab.CuttingSessionId;
    }

    private static JsonObject Section(LabBuilder lab, string sessionId, int number) => new()
    {
        ["section_id"] = $"{sessionId}-S{number:0000}",
        ["section_number"] = number,
        ["cutting_session_id"] = sessionId,
        ["media_id"] = lab.MediaId,
        ["aperture_uid"] = $"A{number - 1}",
        ["aperture_index"] = number - 1,
        ["section_metrics"] = new JsonObject { ["quality"] = "good", ["thickness_um"] = 0.045 },
    };
}
