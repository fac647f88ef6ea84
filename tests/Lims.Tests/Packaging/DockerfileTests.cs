using Lims.Api;
using Lims.Settings;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.Packaging;

/// <summary>The Dockerfile, checked against the app: health URL, port, user, seed data.</summary>
public sealed class DockerfileTests(SqliteStore store) : IClassFixture<SqliteStore>
{
    private readonly DockerfileInstructions _dockerfile = DockerfileInstructions.Load();

    private DockerfileInstructions Runtime => _dockerfile.FinalStage;

    [Fact]
    public void Builds_with_the_sdk_and_runs_on_the_aspnet_runtime()
    {
        var stages = _dockerfile.Arguments("FROM").ToList();
        Assert.Equal(2, stages.Count);
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0 AS build", stages[0], StringComparison.Ordinal);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", stages[1], StringComparison.Ordinal);
        Assert.Contains(Runtime.Arguments("COPY"), c => c.StartsWith("--from=build ", StringComparison.Ordinal));
        Assert.Equal("[\"dotnet\", \"Lims.Api.dll\"]", Assert.Single(Runtime.Arguments("ENTRYPOINT")));
    }

    [Fact]
    public void Exposes_the_port_its_Urls_listen_on()
    {
        var exposed = int.Parse(Assert.Single(Runtime.Arguments("EXPOSE")), System.Globalization.CultureInfo.InvariantCulture);
        var listen = new Uri(Runtime.Environment["Urls"]);
        Assert.Equal(exposed, listen.Port);
        Assert.Equal(ServerOptions.DefaultPort, exposed);
        Assert.Equal("0.0.0.0", listen.Host);
    }

    [Fact]
    public void Sets_only_settings_the_app_reads()
    {
        // ASPNETCORE_HTTP_PORTS is the runtime image's own default; it is emptied so Urls alone decides.
        var unknown = Runtime.Environment.Keys.Where(k => k != "ASPNETCORE_HTTP_PORTS" && LimsSettings.Find(k.Replace("__", ":", StringComparison.Ordinal)) is null);
        Assert.Empty(unknown);
    }

    [Fact]
    public void The_health_check_asks_the_exposed_port_for_a_route_the_app_serves()
    {
        var healthcheck = Assert.Single(Runtime.Arguments("HEALTHCHECK"));
        var url = new Uri(healthcheck.Split(' ').Single(w => w.StartsWith("http://", StringComparison.Ordinal)));
        Assert.Equal(Assert.Single(Runtime.Arguments("EXPOSE")), url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("/health", url.AbsolutePath);
        Assert.True(AppRoutes.HasGet(store.App.Services, url.AbsolutePath), $"The app maps no GET {url.AbsolutePath}.");
    }

    [Fact]
    public async Task The_health_route_answers_200_without_the_store()
    {
        using var response = await store.Client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Runs_as_an_unprivileged_user()
    {
        var user = Assert.Single(Runtime.Arguments("USER"));
        Assert.False(user is "root" or "0" or "0:0", $"USER {user} is root.");
        // Everything after USER runs as that user; the data directory is made writable for it before.
        Assert.Contains(Runtime.Arguments("RUN"), r => r.Contains("chown", StringComparison.Ordinal) && r.Contains("data", StringComparison.Ordinal));
    }

    [Fact]
    public void Copies_the_seed_files_where_the_seed_command_finds_them()
    {
        Assert.Equal("/app", Assert.Single(Runtime.Arguments("WORKDIR")));
        Assert.Contains("seed/*.json seed/", Runtime.Arguments("COPY"));
        Assert.NotEmpty(Directory.GetFiles(RepositoryFiles.PathOf("seed"), "*.json"));
        Assert.DoesNotContain("seed", File.ReadAllLines(RepositoryFiles.PathOf(".dockerignore")));
    }
}
