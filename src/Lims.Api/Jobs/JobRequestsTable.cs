using Lims.Storage;

namespace Lims.Jobs;

/// <summary>
/// The outbox of background work: one row per (job, key), written in the transaction of the write that
/// causes it, removed once <see cref="OutboxRelay"/> has handed it to Hangfire. Hangfire's storage has its own
/// connection (and on SQLite its own file), so it cannot share the write's transaction: this table can.
/// </summary>
public sealed class JobRequestsTable : ISchemaContributor
{
    public const string Table = "job_requests";

    public IEnumerable<string> Statements(SqlDialect dialect) =>
    [
        $"""
        CREATE TABLE IF NOT EXISTS {Table} (
            job TEXT NOT NULL,
            key TEXT NOT NULL,
            due_at TEXT NOT NULL,
            requested_at TEXT NOT NULL,
            PRIMARY KEY (job, key)
        )
        """,
        $"CREATE INDEX IF NOT EXISTS ix_{Table}_due_at ON {Table} (due_at)",
    ];
}
