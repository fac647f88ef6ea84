namespace Lims.Collections.Definitions;

/// <summary>History of Acquisition.status: one document per transition, written by the workflow in the same transaction.</summary>
public static class AcquisitionEvents
{
    public static readonly CollectionDefinition Definition = new()
    {
        EntitySet = "AcquisitionEvents",
        EntityType = "AcquisitionEvent",
        Table = "acquisition_events",
        Description = "Every status transition of an acquisition: from, to, when, caused by whom (a caller or job:<name>) and why.",
        Key = F.Key("event_id", "Time-ordered id of the event"),
        Fields =
        [
            F.Str("acquisition_id", "The acquisition that changed") with { Required = true, Hot = true },
            F.Str("acquisition_task_id", "Its task, if any") with { Hot = true },
            F.Str("from_status", "Status before (null when the acquisition was created)"),
            F.Str("to_status", "Status after") with { Required = true, Hot = true },
            F.Time("at", "When the transition was stored") with { Required = true, Hot = true },
            F.Str("cause", "Who caused it: the caller's name, or job:<name> for background jobs") with { Hot = true },
            F.Str("reason", "Why, when known"),
        ],
        ReadOnly = true,
    };
}
