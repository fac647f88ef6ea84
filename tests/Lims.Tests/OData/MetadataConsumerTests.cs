using System.Diagnostics;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.OData;

/// <summary>
/// A third-party consumer reads the service's $metadata: npm's odata2ts 0.34 generates a typed client from the XML.
/// The npm install is cached in the temp directory across runs; every step has a bounded timeout.
/// </summary>
public sealed class MetadataConsumerTests(SqliteStore store) : IClassFixture<SqliteStore>
{
    private static readonly string _tools = Path.Combine(Path.GetTempPath(), "lims-odata2ts-0.34");

    [Fact]
    public async Task Odata2ts_generates_a_client_from_the_metadata()
    {
        var metadata = await store.Client.GetStringAsync("/odata/$metadata");
        var odata2ts = Path.Combine(_tools, "node_modules", ".bin", "odata2ts");
        if (!File.Exists(odata2ts))
        {
            Directory.CreateDirectory(_tools);
            var (installCode, installOutput) = await RunAsync("npm",
                ["install", "--no-audit", "--no-fund", "--prefix", _tools, "@odata2ts/odata2ts@0.34", "typescript@5"], _tools, TimeSpan.FromMinutes(5));
            Assert.True(installCode == 0, $"npm install failed:\n{installOutput}");
        }
        // Inside the tools folder, so that node finds typescript and the generator's modules upwards.
        var work = Path.Combine(_tools, "run-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(work, "metadata.xml"), metadata);
            await File.WriteAllTextAsync(Path.Combine(work, "tsconfig.json"),
                """{"compilerOptions":{"target":"ES2020","module":"commonjs","moduleResolution":"node","declaration":true}}""");

            var (code, output) = await RunAsync(odata2ts, ["-s", "metadata.xml", "-o", "out", "-m", "all"], work, TimeSpan.FromMinutes(3));

            Assert.True(code == 0, output);
            Assert.Contains("Successfully finished!", output, StringComparison.Ordinal);
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(work, "out"), "*.ts", SearchOption.AllDirectories));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] arguments, string directory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{file} timed out after {timeout}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
