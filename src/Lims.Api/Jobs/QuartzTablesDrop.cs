using Lims.Storage;

namespace Lims.Jobs;

/// <summary>
/// Quartz ran the jobs before Hangfire: a database upgraded from then still holds its <c>qrtz_*</c> tables. They are
/// dropped at migration (children first, for their foreign keys); on a new database this does nothing.
/// </summary>
public sealed class QuartzTablesDrop : ISchemaContributor
{
    private static readonly string[] _tables =
    [
        "qrtz_fired_triggers", "qrtz_paused_trigger_grps", "qrtz_scheduler_state", "qrtz_locks", "qrtz_simple_triggers",
        "qrtz_simprop_triggers", "qrtz_cron_triggers", "qrtz_blob_triggers", "qrtz_triggers", "qrtz_job_details", "qrtz_calendars",
    ];

    public IEnumerable<string> Statements(SqlDialect dialect) => _tables.Select(table => $"DROP TABLE IF EXISTS {table}");
}
