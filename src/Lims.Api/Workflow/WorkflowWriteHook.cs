using System.Text.Json.Nodes;
using Lims.Collections.Definitions;
using Lims.Documents;
using Lims.Errors;
using Lims.Jobs;
using Lims.Validation;

namespace Lims.Workflow;

/// <summary>
/// Every write of a task or an acquisition passes here, inside its transaction: the status change is checked
/// against its <see cref="Lifecycles"/> table (409 otherwise), the fields a transition implies are set, the
/// transition is recorded in the history, and the follow-up job is requested in the same transaction.
/// </summary>
public sealed class WorkflowWriteHook(IJobRequests jobs, TimeProvider time) : IDocumentWriteHook
{
    private const string Status = "status";

    public Task OnWriteAsync(WriteContext context, CancellationToken ct) => context.After switch
    {
        null => Task.CompletedTask,
        _ when context.Collection.EntitySet == AcquisitionTasks.Definition.EntitySet => OnTaskAsync(context, context.After, ct),
        _ when context.Collection.EntitySet == Acquisitions.Definition.EntitySet => OnAcquisitionAsync(context, context.After, ct),
        _ => Task.CompletedTask,
    };

    private async Task OnTaskAsync(WriteContext context, JsonObject after, CancellationToken ct)
    {
        var from = StatusOf(context.Before);
        var to = RequireStatus(after, Lifecycles.Task);
        if (from == to)
        {
            return;
        }
        var now = time.GetUtcNow();
        if (from is not null)
        {
            Lifecycles.Task.Check(from, to);
            ApplyTaskEffects(context.Before!, after, to, now);
        }
        await TransitionHistory.RecordTaskAsync(context.Session, now, (string)context.Key, from, to,
            after["version"]?.GetValue<long>(), context.Actor, context.Origin.Reason, ct);
    }

    /// <summary>What a task transition implies, whoever makes it (a job, an action or a PATCH).</summary>
    private static void ApplyTaskEffects(JsonObject before, JsonObject after, string to, DateTimeOffset now)
    {
        var stamp = DocumentNormalizer.FormatTime(now);
        switch (to)
        {
            case TaskStatus.InProgress:
                after["started_at"] ??= stamp;
                break;
            case TaskStatus.Completed or TaskStatus.Failed or TaskStatus.Aborted:
                after["completed_at"] ??= stamp;
                break;
            case TaskStatus.Planned:
                // A new attempt: the next version, with its own start and end.
                after["version"] = (before["version"]?.GetValue<long>() ?? 1) + 1;
                after.Remove("started_at");
                after.Remove("completed_at");
                after.Remove("error_message");
                break;
        }
    }

    private async Task OnAcquisitionAsync(WriteContext context, JsonObject after, CancellationToken ct)
    {
        var taskId = after["acquisition_task_id"]?.GetValue<string>();
        await StampTaskVersionAsync(context, after, taskId, ct);

        var from = StatusOf(context.Before);
        var to = RequireStatus(after, Lifecycles.Acquisition);
        if (from == to)
        {
            return;
        }
        var now = time.GetUtcNow();
        if (from is not null)
        {
            Lifecycles.Acquisition.Check(from, to);
        }
        if (to == AcquisitionStatus.Acquired)
        {
            after["end_time"] ??= DocumentNormalizer.FormatTime(now);
        }
        var acquisitionId = (string)context.Key;
        await TransitionHistory.RecordAcquisitionAsync(context.Session, now, acquisitionId, taskId, from, to, context.Actor, context.Origin.Reason, ct);
        foreach (var (job, key) in FollowUps(acquisitionId, taskId, to))
        {
            await jobs.EnqueueAsync(context.Session, job, key, TimeSpan.Zero, ct);
        }
    }

    /// <summary>The jobs an acquisition entering <paramref name="status"/> needs.</summary>
    public static IEnumerable<(string Job, string Key)> FollowUps(string acquisitionId, string? taskId, string status)
    {
        if (status is AcquisitionStatus.Acquired or AcquisitionStatus.QcPending)
        {
            yield return (JobNames.Qc, acquisitionId);
        }
        if (taskId is null)
        {
            yield break;
        }
        if (status == AcquisitionStatus.Imaging)
        {
            yield return (JobNames.Progress, taskId);
        }
        else if (status == AcquisitionStatus.QcPassed)
        {
            yield return (JobNames.Completion, taskId);
        }
        else if (AcquisitionStatus.Unusable.Contains(status))
        {
            yield return (JobNames.Replan, taskId);
        }
    }

    /// <summary>
    /// Records which version of its task an acquisition was made for, so that after a re-plan the attempts of
    /// earlier versions no longer decide the task's status.
    /// </summary>
    private static async Task StampTaskVersionAsync(WriteContext context, JsonObject after, string? taskId, CancellationToken ct)
    {
        const string Field = "task_version";
        if (context.Before is { } before && before["acquisition_task_id"]?.GetValue<string>() == taskId)
        {
            after[Field] = before[Field]?.DeepClone();
            return;
        }
        after.Remove(Field);
        if (taskId is not null && await context.Session.GetAsync(AcquisitionTasks.Definition, taskId, ct) is { } task)
        {
            after[Field] = task.Document["version"]?.GetValue<long>() ?? 1;
        }
    }

    private static string? StatusOf(JsonObject? document) => document?[Status]?.GetValue<string>();

    private static string RequireStatus(JsonObject document, StateMachine machine) =>
        StatusOf(document) ?? throw ApiException.BadRequest($"{machine.EntitySet} status cannot be cleared.",
            [new("Required", Status, "status is required; change it through a transition.")]);
}
