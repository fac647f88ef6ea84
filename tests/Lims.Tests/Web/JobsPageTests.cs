using Lims.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Lims.Tests.Web;

/// <summary>The jobs page in Chromium: Hangfire's recurring jobs and servers, pending requests in plain words, and the way into the dashboard.</summary>
public sealed class JobsPageTests(WebAppFixture web) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task The_jobs_page_lists_the_recurring_jobs_and_a_pending_request_in_plain_words()
    {
        var key = $"WEB-{Guid.NewGuid():N}";
        await web.RequestJobLaterAsync("qc", key);
        var jobs = (await web.Api.GetJsonAsync("/jobs")).Object;
        var recurring = jobs["recurring"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(["sweep", "watchdog"], recurring);

        var page = await web.NewPageAsync();
        await page.GotoAsync("/app/jobs");
        foreach (var id in recurring)
        {
            await Expect(page.Locator($"#recurring-rows tr[data-job='{id}'] .job-name")).ToHaveTextAsync(id);
            await Expect(page.Locator($"#recurring-rows tr[data-job='{id}'] .next-fire")).Not.ToHaveTextAsync("–");
        }
        await Expect(page.Locator("#recurring-rows tr[data-job='watchdog'] .job-description")).ToContainTextAsync("Abort imaging acquisitions");
        await Expect(page.Locator("#servers")).ToContainTextAsync("default");

        var request = page.Locator($"#requests-rows tr[data-key='{key}']");
        await Expect(request.Locator("td").Nth(0)).ToHaveTextAsync("qc");
        await Expect(request.Locator("td").Nth(2)).ToHaveTextAsync($"Quality check of acquisition {key}: acquired → QC pending → passed, failed or to be re-imaged");
        await WebAppFixture.ScreenshotAsync(page, "jobs", fullPage: true);
    }

    [Fact]
    public async Task The_button_opens_the_Hangfire_dashboard_with_the_key_entered_on_the_page()
    {
        var page = await web.NewPageAsync();
        // Without the key a browser gets no further than Lims's 401.
        var direct = await page.GotoAsync("/hangfire");
        Assert.Equal(401, direct!.Status);

        await page.GotoAsync("/app/jobs");
        await page.Locator("#open-dashboard").ClickAsync();
        await page.WaitForURLAsync("**/hangfire");
        await Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("Lims jobs"));
        var recurring = await page.GotoAsync("/hangfire/recurring");
        Assert.Equal(200, recurring!.Status);
        await Expect(page.Locator("body")).ToContainTextAsync("sweep");
        await WebAppFixture.ScreenshotAsync(page, "hangfire-recurring", fullPage: true);
    }
}
