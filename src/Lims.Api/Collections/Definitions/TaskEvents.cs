namespace Lims.Collections.Definitions;

/// <summary>History of AcquisitionTask.status: one document per transition, written by the workflow in the same transaction.</summary>
public static class TaskEvents
{
    public static readonly CollectionDefinition Definition = new()
    {
        EntitySet = "TaskEvents",
        EntityType = "TaskEvent",
        Table = "task_events",
        Description = "Every status transition of an acquisition task: from, to, when, caused by whom (a caller or job:<name>) and why.",
        Key = F.Key("event_id", "Time-ordered id of the event"),
        Fields =
        [
            F.Str("task_id", "The task that changed") with { Required = true, Hot = true },
            F.Str("from_status", "Status before (null when the task was created)"),
            F.Str("to_status", "Status after") with { Required = true, Hot = true },
            F.Time("at", "When the transition was stored") with { Required = true, Hot = true },
            F.Str("cause", "Who caused it: the caller's name, or job:<name> for background jobs") with { Hot = true },
            F.Str("reason", "Why, when known"),
            F.Int("version", "The task's version after the transition"),
        ],
        ReadOnly = true,
    };
}
