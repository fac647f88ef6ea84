using Lims.Jobs;

namespace Lims.Workflow;

/// <summary>
/// The progress, completion and re-plan jobs (key: task id). They differ in what requested them, which the
/// history records as the cause; the work is the same idempotent reconciliation.
/// </summary>
public sealed class TaskJob(string job, TaskReconciler reconciler) : IJobHandler
{
    public string Job { get; } = job;

    public string Describe(string key) => Job switch
    {
        JobNames.Progress => $"Start task {key}: an acquisition was posted, so Planned → In Progress",
        JobNames.Completion => $"Complete task {key}: an acquisition passed QC, so In Progress → Completed",
        JobNames.Replan => $"Re-plan task {key}: an acquisition ended unusable, so back to Planned (next version, after a back-off) or Failed",
        _ => $"Bring task {key} in line with its acquisitions ({Job})",
    };

    public Task RunAsync(string key, CancellationToken ct) => reconciler.ReconcileAsync(key, JobNames.Actor(Job), ct);
}
