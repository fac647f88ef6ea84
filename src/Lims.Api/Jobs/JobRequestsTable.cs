using Lims.Storage;

namespace Lims.Jobs;

/// <summary>
/// The outbox of background work: one row per (job, key), written in the transaction of the write that
/// causes it, removed when the work has run. A crash between the write and the run loses nothing.
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
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            PRIMARY KEY (job, key)
        )
        """,
        $"CREATE INDEX IF NOT EXISTS ix_{Table}_due_at ON {Table} (due_at)",
    ];
}
