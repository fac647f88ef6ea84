using System.Net;
using Lims.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Lims.Tests.Web;

/// <summary>
/// For one browser test class: the service on a real Kestrel socket (127.0.0.1, a free port) over a SQLite
/// store loaded with the demo lab, and Debian's Chromium driven by Playwright. Tests add their own data
/// with unique ids next to the demo lab and only read the demo lab.
/// </summary>
public sealed class WebAppFixture : IAsyncLifetime
{
    // Debian's Chromium: no browser download (no `playwright install`), no sandbox inside containers,
    // and nothing that reaches for the network on its own.
    private static readonly string[] _chromiumArgs =
    [
        "--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    // A property, not a field: the fixture disposes it in DisposeAsync (xunit's lifetime), not through IDisposable.
    private LimsApp? App { get; set; }
    private IPlaywright? _playwright;

    public Uri BaseAddress { get; private set; } = null!;
    public HttpClient Api { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        var database = Path.Combine(Path.GetTempPath(), $"lims-web-{Guid.NewGuid():N}.db");
        App = new LimsApp(StoreKind.Sqlite, $"Data Source={database}", new Dictionary<string, string?>
        {
            ["Storage:SeedWhenEmpty"] = "true",
            ["Seed:Directory"] = SeedFiles.Directory,
        });
        App.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        App.StartServer();
        var addresses = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.Single());
        Api = new HttpClient { BaseAddress = BaseAddress };
        Api.DefaultRequestHeaders.Add("X-Api-Key", LimsApp.AdminKey);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = _chromiumArgs,
        });
        Assertions.SetDefaultExpectTimeout(15_000);
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>
    /// A fresh browser context (own session storage) with a page at the given window size, signed in with
    /// <paramref name="apiKey"/> (the admin key unless given; null for a visitor without a key).
    /// </summary>
    public async Task<IPage> NewPageAsync(int width = 1366, int height = 768, string? apiKey = LimsApp.AdminKey)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(15_000);
        if (apiKey is not null)
        {
            // The pages keep the person's key in session storage; put it there before any page script runs.
            await context.AddInitScriptAsync($"sessionStorage.setItem('lims.apiKey', {System.Text.Json.JsonSerializer.Serialize(apiKey)});");
        }
        return await context.NewPageAsync();
    }

    /// <summary>A new API key of the given role (viewer, instrument, technician, admin), made by the admin.</summary>
    public async Task<string> CreateKeyAsync(string role)
    {
        var reply = await Api.PostJsonAsync("/odata/ApiKeys", new System.Text.Json.Nodes.JsonObject { ["name"] = $"web-{role}-{Guid.NewGuid():N}", ["role"] = role });
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        return reply.Object["key"]!.GetValue<string>();
    }

    /// <summary>An outbox request due in an hour, so that it stays pending while a test looks at it.</summary>
    public async Task RequestJobLaterAsync(string job, string key)
    {
        var requests = App!.Services.GetRequiredService<Lims.Jobs.IJobRequests>();
        await App.Services.GetRequiredService<Lims.Storage.DocumentStore>().WriteAsync(async session =>
        {
            await requests.EnqueueAsync(session, job, key, TimeSpan.FromHours(1), CancellationToken.None);
            return true;
        }, CancellationToken.None);
    }

    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = false) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = fullPage });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        Api?.Dispose();
        App?.Dispose();
    }
}
