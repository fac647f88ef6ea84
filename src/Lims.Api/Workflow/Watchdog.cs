using Lims.Collections.Definitions;
using Lims.Documents;
using Lims.Errors;
using Lims.Jobs;
using Lims.Storage;
using Lims.Validation;
using Microsoft.Extensions.Options;

namespace Lims.Workflow;

/// <summary>
/// Ends work that went quiet: an imaging acquisition with no write and no new tile for
/// <see cref="WorkflowOptions.AcquisitionIdleTimeout"/> is aborted; an In Progress task with no write to it, its
/// acquisitions or their tiles for <see cref="WorkflowOptions.TaskIdleTimeout"/> is failed, error_message saying why.
/// </summary>
public sealed class Watchdog(DocumentService documents, IOptions<WorkflowOptions> options, TimeProvider time, ILogger<Watchdog> logger) : IPeriodicJob
{
    public const string JobName = "watchdog";

    public string Name => JobName;

    public string Description => "Abort imaging acquisitions and fail In Progress tasks that went quiet for too long";

    public async Task RunAsync(CancellationToken ct)
    {
        var (acquisitions, tasks) = await RunOnceAsync(ct);
        if (acquisitions + tasks > 0)
        {
            logger.LogInformation("Watchdog aborted {Acquisitions} idle acquisitions and failed {Tasks} idle tasks", acquisitions, tasks);
        }
    }

    /// <summary>One pass; returns how many acquisitions were aborted and tasks failed.</summary>
    public async Task<(int Acquisitions, int Tasks)> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var acquisitionCutoff = DocumentNormalizer.FormatTime(now - settings.AcquisitionIdleTimeout);
        var taskCutoff = DocumentNormalizer.FormatTime(now - settings.TaskIdleTimeout);
        var (acquisitions, tasks) = await documents.Store.ReadAsync(async session =>
            (await WorkflowQueries.IdsAsync(session, IdleAcquisitionsSql, ct, ("@imaging", AcquisitionStatus.Imaging), ("@cutoff", acquisitionCutoff)),
             await WorkflowQueries.IdsAsync(session, IdleTasksSql, ct, ("@status", TaskStatus.InProgress), ("@cutoff", taskCutoff))), ct);

        var aborted = 0;
        foreach (var (id, version) in acquisitions)
        {
            var why = $"No write and no new tile for {settings.AcquisitionIdleTimeout} (watchdog).";
            aborted += await TryChangeAsync(Acquisitions.Definition.EntitySet, id, version, AcquisitionStatus.Aborted, why, null, ct) ? 1 : 0;
        }
        var failed = 0;
        foreach (var (id, version) in tasks)
        {
            var why = $"No activity on the task, its acquisitions or their tiles for {settings.TaskIdleTimeout} (watchdog).";
            failed += await TryChangeAsync(AcquisitionTasks.Definition.EntitySet, id, version, TaskStatus.Failed, why, why, ct) ? 1 : 0;
        }
        return (aborted, failed);
    }

    private async Task<bool> TryChangeAsync(string entitySet, string id, long version, string status, string reason, string? errorMessage, CancellationToken ct)
    {
        var collection = Collections.Catalog.Get(entitySet);
        try
        {
            // The version read with the idle check: any write since then means activity, and the update is refused.
            await documents.UpdateAsync(collection, id, StoredDocument.FormatETag(version), new WriteOrigin(JobNames.Actor(JobName), WriteSource.Job) { Reason = reason }, document =>
            {
                document["status"] = status;
                if (errorMessage is not null)
                {
                    document["error_message"] = errorMessage;
                }
                return document;
            }, fillDefaults: false, ct);
            return true;
        }
        catch (ApiException e) when (e.Status is 404 or 409 or 412)
        {
            return false;
        }
    }

    private static string IdleAcquisitionsSql =>
        $"""
        SELECT a.id, a.row_version FROM {Acquisitions.Definition.Table} a
        WHERE a.status = @imaging AND a.updated_at < @cutoff
          AND NOT EXISTS (SELECT 1 FROM {Tiles.Definition.Table} t WHERE t.acquisition_id = a.id AND t.created_at >= @cutoff)
        ORDER BY a.updated_at LIMIT 500
        """;

    private static string IdleTasksSql =>
        $"""
        SELECT k.id, k.row_version FROM {AcquisitionTasks.Definition.Table} k
        WHERE k.status = @status AND k.updated_at < @cutoff
          AND NOT EXISTS (SELECT 1 FROM {Acquisitions.Definition.Table} a WHERE a.acquisition_task_id = k.id
              AND (a.updated_at >= @cutoff
                   OR EXISTS (SELECT 1 FROM {Tiles.Definition.Table} t WHERE t.acquisition_id = a.id AND t.created_at >= @cutoff)))
        ORDER BY k.updated_at LIMIT 500
        """;
}
