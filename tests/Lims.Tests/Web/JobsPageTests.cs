using Lims.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Lims.Tests.Web;

/// <summary>The jobs page in Chromium: the scheduler, its periodic jobs, and the outbox of job requests.</summary>
public sealed class JobsPageTests(WebAppFixture web) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task The_jobs_page_lists_the_periodic_jobs_and_a_pending_request()
    {
        var key = $"WEB-{Guid.NewGuid():N}";
        await web.RequestJobLaterAsync("qc", key);
        var jobs = (await web.Api.GetJsonAsync("/jobs")).Object;
        var names = jobs["jobs"]!.AsArray().Select(j => j!["name"]!.GetValue<string>().Replace("DEFAULT.", "", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(names);

        var page = await web.NewPageAsync();
        await page.GotoAsync("/app/jobs");
        await Expect(page.Locator("#scheduler")).ToContainTextAsync(jobs["scheduler"]!["status"]!.GetValue<string>());
        foreach (var name in names)
        {
            await Expect(page.Locator($"#jobs-rows tr[data-job='{name}'] .job-name")).ToHaveTextAsync(name);
        }
        var periodic = jobs["jobs"]!.AsArray().First(j => j!["triggers"]!.AsArray().Count > 0)!;
        var shortName = periodic["name"]!.GetValue<string>().Replace("DEFAULT.", "", StringComparison.Ordinal);
        await Expect(page.Locator($"#jobs-rows tr[data-job='{shortName}'] .next-fire").First).Not.ToHaveTextAsync("–");

        var request = page.Locator($"#requests-rows tr[data-key='{key}']");
        await Expect(request.Locator("td").Nth(0)).ToHaveTextAsync("qc");
        await Expect(request.Locator("td").Nth(1)).ToHaveTextAsync(key);
        await Expect(request.Locator("td").Nth(4)).ToHaveTextAsync("0");
        await Expect(page.Locator("#requests-count")).Not.ToBeEmptyAsync();
        await WebAppFixture.ScreenshotAsync(page, "jobs", fullPage: true);
    }
}
