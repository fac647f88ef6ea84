using Lims.Collections;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Lims.Storage;

public static class StorageRegistration
{
    public static IServiceCollection AddLimsStorage(this IServiceCollection services, IConfiguration configuration)
    {
        // Bound and validated with every other section by Settings/LimsSettings.
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            SqlDialect dialect = options.Provider == StorageProvider.Postgres ? new PostgresDialect() : new SqliteDialect();
            if (options.Provider == StorageProvider.Sqlite)
            {
                EnsureSqliteDirectory(options.EffectiveConnectionString);
            }
            return new DocumentStore(dialect, options.EffectiveConnectionString);
        });
        services.AddSingleton<ISchemaContributor, Jobs.JobRequestsTable>();
        services.AddSingleton<ISchemaContributor, SummaryTables>();
        services.AddSingleton<Jobs.IJobRequests, Jobs.OutboxJobRequests>();
        return services;
    }

    /// <summary>Creates tables and indexes for every collection; run before the server takes requests.</summary>
    public static Task MigrateLimsStoreAsync(this IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<DocumentStore>().MigrateAsync(Catalog.All, services.GetServices<ISchemaContributor>(), ct);

    private static void EnsureSqliteDirectory(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (Path.GetDirectoryName(Path.GetFullPath(dataSource)) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }
    }
}
