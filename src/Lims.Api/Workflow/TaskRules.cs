using System.Text.Json.Nodes;

namespace Lims.Workflow;

/// <summary>What the task lifecycle needs to know of one acquisition.</summary>
public sealed record AcquisitionView(string Id, string Status, string? ReplacesId, long? TaskVersion)
{
    public static AcquisitionView From(JsonObject document) => new(
        document["acquisition_id"]!.GetValue<string>(),
        document["status"]?.GetValue<string>() ?? AcquisitionStatus.Imaging,
        document["replaces_acquisition_id"]?.GetValue<string>(),
        document["task_version"]?.GetValue<long>());
}

/// <summary>
/// The pure rule that makes a task's status follow its acquisitions (schema notes, Workflow). Only the task's
/// current acquisitions count: those made for its current version and not replaced by another.
/// </summary>
public static class TaskRules
{
    public static IReadOnlyList<AcquisitionView> Current(IReadOnlyList<AcquisitionView> all, long taskVersion)
    {
        var replaced = all.Select(a => a.ReplacesId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return [.. all.Where(a => !replaced.Contains(a.Id) && (a.TaskVersion ?? taskVersion) == taskVersion)];
    }

    /// <summary>
    /// The next status the task should move to, or null when it agrees with its acquisitions. One step at a
    /// time (Planned → In Progress → Completed), so every step is a transition of the table and is recorded.
    /// <see cref="TaskStatus.Planned"/> from In Progress means "needs another attempt"; the caller turns it
    /// into Failed when no retries remain.
    /// </summary>
    public static (string Status, AcquisitionView Because)? Next(string taskStatus, IReadOnlyList<AcquisitionView> current)
    {
        if (current.Count == 0)
        {
            return null;
        }
        return taskStatus switch
        {
            TaskStatus.Planned => (TaskStatus.InProgress, current[0]),
            TaskStatus.InProgress when current.FirstOrDefault(a => a.Status == AcquisitionStatus.QcPassed) is { } passed => (TaskStatus.Completed, passed),
            TaskStatus.InProgress when current.All(a => AcquisitionStatus.Unusable.Contains(a.Status)) => (TaskStatus.Planned, current[^1]),
            _ => null,
        };
    }

    /// <summary>Retries already used by a task at <paramref name="version"/> (each re-plan adds one to the version).</summary>
    public static long RetriesUsed(long version) => version - 1;
}
