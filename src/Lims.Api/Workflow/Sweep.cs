using Lims.Collections.Definitions;
using Lims.Documents;
using Lims.Jobs;
using Lims.Validation;
using Microsoft.Extensions.Options;

namespace Lims.Workflow;

/// <summary>
/// Repairs what a lost trigger left behind: acquisitions waiting for QC with no QC request, and tasks whose
/// status disagrees with their acquisitions with no task job requested. Only states older than
/// <see cref="WorkflowOptions.SweepGrace"/> are looked at, so the ordinary path is not raced.
/// </summary>
public sealed class Sweep(DocumentService documents, IJobRequests jobs, IOptions<WorkflowOptions> options, TimeProvider time, ILogger<Sweep> logger) : IPeriodicJob
{
    public const string JobName = "sweep";
    private const int Batch = 500;

    public string Name => JobName;

    public string Description => "Repair lost triggers: request QC or task jobs for work that has waited too long without one";

    public async Task RunAsync(CancellationToken ct)
    {
        var requested = await RunOnceAsync(ct);
        if (requested > 0)
        {
            logger.LogWarning("Sweep requested {Count} jobs whose trigger was lost", requested);
        }
    }

    /// <summary>One pass; returns how many job requests it made.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var cutoff = DocumentNormalizer.FormatTime(time.GetUtcNow() - options.Value.SweepGrace);
        return await documents.Store.WriteAsync(async session =>
        {
            var qc = await WorkflowQueries.IdsAsync(session, StuckQcSql, ct,
                ("@acquired", AcquisitionStatus.Acquired), ("@pending", AcquisitionStatus.QcPending), ("@cutoff", cutoff), ("@job", JobNames.Qc));
            foreach (var (id, _) in qc)
            {
                await jobs.EnqueueAsync(session, JobNames.Qc, id, TimeSpan.Zero, ct);
            }

            var candidates = await WorkflowQueries.IdsAsync(session, CandidateTasksSql(session.Dialect), ct,
                ("@planned", TaskStatus.Planned), ("@inProgress", TaskStatus.InProgress), ("@cutoff", cutoff),
                ("@imaging", AcquisitionStatus.Imaging), ("@acquired", AcquisitionStatus.Acquired), ("@pending", AcquisitionStatus.QcPending),
                ("@progress", JobNames.Progress), ("@completion", JobNames.Completion), ("@replan", JobNames.Replan));
            var tasks = await session.GetManyAsync(AcquisitionTasks.Definition, [.. candidates.Select(c => (object)c.Id)], ct);
            var acquisitions = (await WorkflowQueries.AcquisitionsOfTasksAsync(session, [.. tasks.Keys], ct))
                .ToLookup(a => a["acquisition_task_id"]!.GetValue<string>(), AcquisitionView.From);
            var requested = qc.Count;
            foreach (var (key, task) in tasks)
            {
                var id = (string)key;
                var status = task.Document["status"]?.GetValue<string>() ?? TaskStatus.Planned;
                var current = TaskRules.Current([.. acquisitions[id]], task.Document["version"]?.GetValue<long>() ?? 1);
                if (TaskRules.Next(status, current) is { } next)
                {
                    var job = next.Status switch
                    {
                        TaskStatus.InProgress => JobNames.Progress,
                        TaskStatus.Completed => JobNames.Completion,
                        _ => JobNames.Replan,
                    };
                    await jobs.EnqueueAsync(session, job, id, TimeSpan.Zero, ct);
                    requested++;
                }
            }
            return requested;
        }, ct);
    }

    private static string StuckQcSql =>
        $"""
        SELECT a.id, a.row_version FROM {Acquisitions.Definition.Table} a
        WHERE a.status IN (@acquired, @pending) AND a.updated_at < @cutoff
          AND NOT EXISTS (SELECT 1 FROM {JobRequestsTable.Table} r WHERE r.job = @job AND r.key = a.id)
        ORDER BY a.updated_at LIMIT {Batch}
        """;

    /// <summary>Open tasks with a current-version, unreplaced acquisition that could call for a change, and no task job pending.</summary>
    private static string CandidateTasksSql(Storage.SqlDialect dialect)
    {
        var taskVersion = dialect.JsonValue("k.doc", ["version"], Collections.PrimitiveKind.Int);
        var acquisitionVersion = dialect.JsonValue("a.doc", ["task_version"], Collections.PrimitiveKind.Int);
        return $"""
            SELECT k.id, k.row_version FROM {AcquisitionTasks.Definition.Table} k
            WHERE k.status IN (@planned, @inProgress) AND k.updated_at < @cutoff
              AND NOT EXISTS (SELECT 1 FROM {JobRequestsTable.Table} r WHERE r.key = k.id AND r.job IN (@progress, @completion, @replan))
              AND EXISTS (SELECT 1 FROM {Acquisitions.Definition.Table} a
                  WHERE a.acquisition_task_id = k.id AND a.updated_at < @cutoff
                    AND COALESCE({acquisitionVersion}, {taskVersion}) = COALESCE({taskVersion}, 1)
                    AND NOT EXISTS (SELECT 1 FROM {Acquisitions.Definition.Table} r WHERE r.replaces_acquisition_id = a.id)
                    AND (k.status = @planned OR a.status NOT IN (@imaging, @acquired, @pending)))
            ORDER BY k.updated_at LIMIT {Batch}
            """;
    }
}
