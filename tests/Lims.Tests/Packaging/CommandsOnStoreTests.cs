using Lims.Cli;
using Lims.OData;
using Lims.Storage;
using Lims.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Lims.Tests.Packaging;

/// <summary>Commands validate the settings, then run on the configured store; the registry binds each section.</summary>
public abstract class CommandsOnStoreTests(StoreFixture store)
{
    [Fact]
    public async Task Migrate_runs_again_on_a_migrated_store()
    {
        Assert.Equal(0, await CommandLine.RunAsync(store.App.Services, "migrate", ["migrate"]));
        using var response = await store.Client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void The_settings_registry_binds_the_configured_values()
    {
        Assert.Equal(7, store.App.Services.GetRequiredService<IOptions<ODataLimits>>().Value.MaxPageSize);
        Assert.Equal(store.Kind.ToString(), store.App.Services.GetRequiredService<IOptions<StorageOptions>>().Value.Provider.ToString());
    }

    [Fact]
    public async Task An_unknown_command_lists_the_commands_and_fails()
    {
        Assert.Equal(2, await CommandLine.RunAsync(store.App.Services, "deploy", ["deploy"]));
    }
}

public sealed class SqliteWithSmallPages() : StoreFixture(StoreKind.Sqlite)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["OData:MaxPageSize"] = "7" };
}

public sealed class PostgresWithSmallPages() : StoreFixture(StoreKind.Postgres)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["OData:MaxPageSize"] = "7" };
}

public sealed class SqliteCommandsOnStoreTests(SqliteWithSmallPages store) : CommandsOnStoreTests(store), IClassFixture<SqliteWithSmallPages>;

public sealed class PostgresCommandsOnStoreTests(PostgresWithSmallPages store) : CommandsOnStoreTests(store), IClassFixture<PostgresWithSmallPages>;
