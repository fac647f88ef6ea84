using Lims.Jobs;

namespace Lims.Workflow;

/// <summary>
/// The progress, completion and re-plan jobs (key: task id). They differ in what requested them, which the
/// history records as the cause; the work is the same idempotent reconciliation.
/// </summary>
public sealed class TaskJob(string job, TaskReconciler reconciler) : IJobHandler
{
    public string Job { get; } = job;

    public Task RunAsync(string key, CancellationToken ct) => reconciler.ReconcileAsync(key, JobNames.Actor(Job), ct);
}
