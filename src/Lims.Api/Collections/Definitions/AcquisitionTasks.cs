using Lims.Collections.Rules;

namespace Lims.Collections.Definitions;

public static class AcquisitionTasks
{
    public static readonly string[] Statuses = ["Planned", "In Progress", "Completed", "Failed", "Aborted"];

    public static readonly CollectionDefinition Definition = new()
    {
        EntitySet = "AcquisitionTasks",
        EntityType = "AcquisitionTask",
        Table = "acquisition_tasks",
        Description = "A plan to image one ROI; its status follows its acquisitions.",
        Key = F.Key("task_id", "Unique identifier for this task"),
        Fields =
        [
            F.Ref("specimen_id", "ID of specimen"),
            F.Ref("block_id", "ID of block"),
            F.IntRef("roi_id", "ID of region of interest to be acquired", required: true),
            F.Str("task_type", "standard_acquisition, montage or lens_correction") with { Default = "standard_acquisition", Hot = true },
            F.Int("version", "Version number of this task; + 1 on each re-plan") with { Default = 1L, Minimum = 1 },
            F.Enum("status", "Task status", Statuses) with { Default = "Planned", Hot = true },
            F.Time("started_at", "When task execution began"),
            F.Time("completed_at", "When task finished (success or failure)"),
            F.Str("error_message", "Error message if failed"),
            F.StrList("tags", "Tags for filtering"),
            F.Obj("metadata", ComplexTypes.OpenObject, "Additional metadata"),
        ],
        References =
        [
            new("specimen_id", "Specimens", "specimen", "acquisition_tasks"),
            new("block_id", "Blocks", "block", "acquisition_tasks"),
            new("roi_id", "ROIs", "roi", "acquisition_tasks"),
        ],
        Denormalised =
        [
            new("specimen_id", "roi_id", "specimen_id"),
            new("block_id", "roi_id", "block_id"),
        ],
        AllowsBatchCreate = true,
        Rules = [new TimeOrderRule("started_at", "completed_at")],
    };
}
