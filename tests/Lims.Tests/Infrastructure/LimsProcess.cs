using System.Diagnostics;

namespace Lims.Tests.Infrastructure;

/// <summary>The built service (Lims.Api.dll beside the tests) as a separate process on a free 127.0.0.1 port.</summary>
public sealed class LimsProcess : IDisposable
{
    private readonly Process _process;

    private LimsProcess(Process process, HttpClient client) => (_process, Client) = (process, client);

    public HttpClient Client { get; }

    public int Id => _process.Id;

    public static async Task<LimsProcess> StartAsync(StoreKind kind, string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = PostgresServer.FreePort();
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Lims.Api.dll"), "--urls", $"http://127.0.0.1:{port}" })
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["Storage__Provider"] = kind.ToString();
        info.Environment["Storage__ConnectionString"] = connectionString;
        info.Environment["Storage__SeedWhenEmpty"] = "false";
        info.Environment["Auth__BootstrapAdminKey"] = LimsApp.AdminKey;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("X-Api-Key", LimsApp.AdminKey);
        var service = new LimsProcess(process, client);
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return service;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            Assert.False(process.HasExited, "the service exited during start-up");
            await Task.Delay(100);
        }
        service.Dispose();
        throw new TimeoutException("The service did not become ready within 30 s.");
    }

    /// <summary>SIGKILL: no shutdown, no flush, no rollback by the process itself.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }
        _process.WaitForExit();
        _process.Dispose();
        Client.Dispose();
    }
}
