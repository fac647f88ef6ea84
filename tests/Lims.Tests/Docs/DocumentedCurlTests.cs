using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Lims.Tests.Infrastructure;
using Lims.Tests.Packaging;
using Lims.Tests.Web;

namespace Lims.Tests.Docs;

/// <summary>
/// Every curl in the docs runs as written against a service over the demo lab, key included: a newcomer who
/// copies them gets the documented answers, not a 401 or a curl syntax error. Each file's ```sh blocks that call
/// curl (and those that only set variables, like <c>KEY=$(cat …)</c>) run in order as one bash script, from a
/// directory laid out like the repository after a first <c>dotnet run</c> (the admin key in
/// <c>src/Lims.Api/data/admin-key.txt</c>); <c>http://127.0.0.1:5080</c> becomes the test service's address, and
/// curl fails on any HTTP error. To check another file, add a line below once its examples run.
/// </summary>
public sealed partial class DocumentedCurlTests(WebAppFixture web) : IClassFixture<WebAppFixture>
{
    private const string DocumentedAddress = "http://127.0.0.1:5080";

    [Theory]
    [InlineData("docs/getting-started.md")]
    [InlineData("docs/api.md")]
    [InlineData("docs/microscope-integration.md")]
    public async Task Every_curl_in_the_file_runs_as_written(string file)
    {
        var blocks = ShellBlocks(RepositoryFiles.Read(file)).Where(b => b.Contains("curl ", StringComparison.Ordinal) || OnlySetsVariables(b)).ToList();
        Assert.Contains(blocks, b => b.Contains("curl ", StringComparison.Ordinal));

        var directory = Directory.CreateTempSubdirectory("lims-docs-");
        try
        {
            var data = Directory.CreateDirectory(Path.Combine(directory.FullName, "src", "Lims.Api", "data"));
            await File.WriteAllTextAsync(Path.Combine(data.FullName, "admin-key.txt"), LimsApp.AdminKey + "\n");
            var script = new StringBuilder("set -euo pipefail\n")
                .Append("curl() { command curl --silent --show-error --fail-with-body --max-time 30 \"$@\"; echo; }\n");
            foreach (var block in blocks)
            {
                script.Append(block.Replace(DocumentedAddress, web.BaseAddress.ToString().TrimEnd('/'), StringComparison.Ordinal)).Append('\n');
            }
            var (exit, output) = await RunBashAsync(script.ToString(), directory.FullName);
            Assert.True(exit == 0, $"{file}: a documented command failed (exit {exit}).\n--- output ---\n{output}\n--- script ---\n{script}");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static IEnumerable<string> ShellBlocks(string markdown) =>
        ShellBlock().Matches(markdown).Select(m => m.Groups[1].Value);

    private static bool OnlySetsVariables(string block) =>
        block.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).All(l => VariableAssignment().IsMatch(l));

    private static async Task<(int Exit, string Output)> RunBashAsync(string script, string directory)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"^```sh\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*=\S")]
    private static partial Regex VariableAssignment();
}
