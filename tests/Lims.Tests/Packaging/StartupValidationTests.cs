using Lims.Settings;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.Packaging;

/// <summary>Invalid settings stop the service (and its commands) before anything else happens, with a clear message.</summary>
public sealed class StartupValidationTests
{
    private static readonly Dictionary<string, string> _badSettings = new()
    {
        ["Storage__Provider"] = "Mongo",
        ["OData__MaxPageSize"] = "-5",
    };

    [Theory]
    [InlineData]
    [InlineData("migrate")]
    public async Task The_process_exits_with_the_problems_and_no_stack_trace(params string[] args)
    {
        var result = await ServiceProcess.RunAsync(_badSettings, args);
        Assert.Equal(InvalidSettings.ExitCode, result.ExitCode);
        Assert.Contains("Storage:Provider must be Sqlite or Postgres (got 'Mongo')", result.Error, StringComparison.Ordinal);
        Assert.Contains("OData:MaxPageSize must be at least 1 (got '-5')", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error + result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_test_host_fails_to_start_with_the_same_message()
    {
        var file = Path.Combine(Path.GetTempPath(), $"lims-test-{Guid.NewGuid():N}.db");
        using var app = new LimsApp(StoreKind.Sqlite, $"Data Source={file}", new Dictionary<string, string?> { ["OData:MaxPageSize"] = "-5" });
        var error = Record.Exception(() => app.Server);
        Assert.Equal(["OData:MaxPageSize must be at least 1 (got '-5')"], InvalidSettings.ProblemsIn(error!));
        Assert.False(File.Exists(file), "The store was opened although the settings are invalid.");
    }

    [Fact]
    public async Task Config_shows_each_value_its_source_and_the_problems_with_secrets_masked()
    {
        var result = await ServiceProcess.RunAsync(new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Postgres",
            ["Storage__ConnectionString"] = "Host=db;Username=lims;Password=hunter2",
            ["OData__MaxPageSize"] = "-5",
        }, "config");
        Assert.Equal(InvalidSettings.ExitCode, result.ExitCode);
        Assert.Matches(@"Storage:ConnectionString\s+Host=db;Username=lims;Password=\*\*\*\*\*\s+environment", result.Output);
        Assert.Matches(@"OData:MaxTop\s+1000000\s+appsettings.json", result.Output);
        Assert.DoesNotContain("hunter2", result.Output + result.Error, StringComparison.Ordinal);
        Assert.Contains("OData:MaxPageSize must be at least 1 (got '-5')", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_every_command()
    {
        var result = await ServiceProcess.RunAsync(new Dictionary<string, string>(), "--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "help", "config", "migrate", "seed", "openapi" })
        {
            Assert.Matches($@"(?m)^  {command}\b", result.Output);
        }
    }

    [Theory]
    [InlineData(new string[0], null)]
    [InlineData(new[] { "--urls=http://127.0.0.1:6000" }, null)]
    [InlineData(new[] { "-h" }, "help")]
    [InlineData(new[] { "seed", "/tmp/seed" }, "seed")]
    public void The_first_argument_names_the_command(string[] args, string? command) =>
        Assert.Equal(command, Lims.Cli.CommandLine.CommandName(args));
}
