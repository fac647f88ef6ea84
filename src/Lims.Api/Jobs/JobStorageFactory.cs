using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Lims.Storage;
using Microsoft.Data.Sqlite;

namespace Lims.Jobs;

/// <summary>
/// Hangfire's storage follows the documents' store, with no setting of its own: on PostgreSQL the same database,
/// in its own schema (<c>hangfire</c>, created by Hangfire.PostgreSql at start-up); on SQLite a file beside the
/// embedded database (<c>lims.db</c> → <c>lims.hangfire.db</c>), so that Hangfire's locking never blocks a document write.
/// </summary>
public static class JobStorageFactory
{
    public const string PostgresSchema = "hangfire";

    public static JobStorage Create(StorageOptions storage, JobsOptions jobs) => storage.Provider == StorageProvider.Postgres
        ? Postgres(storage.EffectiveConnectionString, new PostgreSqlStorageOptions
        {
            SchemaName = PostgresSchema,
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = jobs.PollInterval,
            // Workers LISTEN for an enqueue instead of waiting for their next poll.
            EnableLongPolling = true,
            // A running job renews its fetch time, so the timeout can be short: a dead node's job is visible again within it.
            InvisibilityTimeout = jobs.InvisibilityTimeout,
            UseSlidingInvisibilityTimeout = true,
        })
        : new SQLiteStorage(SqlitePath(storage.EffectiveConnectionString), new SQLiteStorageOptions
        {
            QueuePollInterval = jobs.PollInterval,
            InvisibilityTimeout = jobs.InvisibilityTimeout,
        });

    private static PostgreSqlStorage Postgres(string connectionString, PostgreSqlStorageOptions options) =>
        new(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connectionString, options), options);

    /// <summary>The Hangfire database file beside the SQLite store's file.</summary>
    public static string SqlitePath(string connectionString)
    {
        var store = Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource);
        var directory = Path.GetDirectoryName(store) ?? ".";
        // Hangfire may open its file before the store has created the directory (the dashboard is mapped first).
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, Path.GetFileNameWithoutExtension(store) + ".hangfire" + Path.GetExtension(store));
    }
}
