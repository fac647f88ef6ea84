using Lims.Api;
using Lims.Settings;
using Microsoft.Extensions.Configuration;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace Lims.Tests.Packaging;

/// <summary>docker-compose.yml, checked against the app since no Docker engine runs here.</summary>
public sealed class ComposeFileTests
{
    private readonly ComposeFile _compose = ComposeFile.Load();

    private IReadOnlyDictionary<string, string> LimsEnvironment => _compose.Environment("lims");

    [Fact]
    public void Every_environment_variable_set_for_lims_is_a_setting_the_app_reads()
    {
        Assert.NotEmpty(LimsEnvironment);
        var unknown = LimsEnvironment.Keys.Where(name => LimsSettings.Find(name.Replace("__", ":", StringComparison.Ordinal)) is null).ToList();
        Assert.True(unknown.Count == 0, $"docker-compose.yml sets variables no setting reads: {string.Join(", ", unknown)}. Known: {string.Join(", ", LimsSettings.All.Select(s => s.EnvironmentVariable))}");
    }

    [Fact]
    public void The_lims_environment_passes_the_apps_settings_validation()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(LimsEnvironment.ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value))
            .Build();
        Assert.Empty(LimsSettings.Problems(configuration));
        Assert.Equal("Postgres", configuration["Storage:Provider"]);
    }

    [Fact]
    public void Lims_listens_on_the_published_port_which_is_the_apps_default_port()
    {
        var listen = new Uri(LimsEnvironment["Urls"]);
        Assert.Equal("0.0.0.0", listen.Host); // reachable from outside the container
        var published = Assert.Single(ComposeFile.List(_compose.Service("lims"), "ports"));
        Assert.Equal($"{ServerOptions.DefaultPort}:{listen.Port}", published);
        Assert.Equal(ServerOptions.DefaultPort, listen.Port);
        Assert.Equal(ServerOptions.DefaultPort, new Uri(new ServerOptions().Urls).Port);
    }

    [Fact]
    public void Lims_waits_for_a_healthy_postgres_15_that_keeps_its_data_in_a_named_volume()
    {
        var lims = _compose.Service("lims");
        var database = DatabaseService();
        Assert.Equal("service_healthy", ComposeFile.Scalar(lims, "depends_on", database, "condition"));

        var db = _compose.Service(database);
        Assert.Equal("postgres:15", ComposeFile.Scalar(db, "image"));
        var healthcheck = (YamlMappingNode)db.Children[new YamlScalarNode("healthcheck")];
        Assert.Contains("pg_isready", string.Join(" ", ComposeFile.List(healthcheck, "test")), StringComparison.Ordinal);

        var volume = Assert.Single(ComposeFile.List(db, "volumes"));
        Assert.EndsWith(":/var/lib/postgresql/data", volume, StringComparison.Ordinal);
        Assert.Contains(volume.Split(':')[0], _compose.NamedVolumes);
    }

    [Fact]
    public void The_connection_string_names_the_database_service_and_its_credentials()
    {
        var connection = new NpgsqlConnectionStringBuilder(LimsEnvironment["Storage__ConnectionString"]);
        var db = _compose.Environment(DatabaseService());
        Assert.Equal(DatabaseService(), connection.Host);
        Assert.Equal(db["POSTGRES_DB"], connection.Database);
        Assert.Equal(db["POSTGRES_USER"], connection.Username);
        Assert.Equal(db["POSTGRES_PASSWORD"], connection.Password);
    }

    [Fact]
    public void Seed_data_loads_only_when_asked()
    {
        Assert.Equal("false", LimsEnvironment["Storage__SeedWhenEmpty"]);
        Assert.Contains("${LIMS_SEED:-false}", RepositoryFiles.Read("docker-compose.yml"), StringComparison.Ordinal);
    }

    [Fact]
    public void Lims_is_built_from_the_repositorys_Dockerfile()
    {
        Assert.Equal(".", ComposeFile.Scalar(_compose.Service("lims"), "build"));
        Assert.True(File.Exists(RepositoryFiles.PathOf("Dockerfile")));
    }

    /// <summary>The service Lims depends on: the one the connection string must name.</summary>
    private string DatabaseService()
    {
        var dependsOn = (YamlMappingNode)_compose.Service("lims").Children[new YamlScalarNode("depends_on")];
        var name = ((YamlScalarNode)Assert.Single(dependsOn.Children.Keys)).Value!;
        Assert.Contains(name, _compose.ServiceNames);
        return name;
    }
}
