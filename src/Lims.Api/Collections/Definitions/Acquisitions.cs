using Lims.Collections.Rules;

namespace Lims.Collections.Definitions;

public static class Acquisitions
{
    public static readonly string[] Statuses = ["imaging", "acquired", "qc-pending", "qc-passed", "failed", "to be re-imaged", "aborted"];

    /// <summary>Roll-ups over the acquisition's tiles, kept by the ingest and the quality-report job (clients cannot write them).</summary>
    public static readonly FieldDefinition[] Rollups =
    [
        F.Int("tile_count", "Number of tiles stored (server-set)") with { ServerSet = true },
        F.Int("focus_scored_tile_count", "Tiles with a focus score: the denominator of avg_focus_score (server-set)") with { ServerSet = true },
        F.Float("avg_focus_score", "Mean focus score of the tiles (server-set)") with { ServerSet = true },
        F.Int("failed_tile_count", "Tiles with at least one quality fault, from the latest quality report (server-set)") with { ServerSet = true },
        F.Float("median_match_quality", "Median matcher match_quality over the tiles, from the latest quality report (server-set)") with { ServerSet = true },
    ];

    public static readonly CollectionDefinition Definition = new()
    {
        EntitySet = "Acquisitions",
        EntityType = "Acquisition",
        Table = "acquisitions",
        Description = "One imaging run of an ROI, made of tiles.",
        Key = F.Key("acquisition_id", "ID of acquisition"),
        Fields =
        [
            F.Str("montage_id", "ID of montage"),
            F.Ref("specimen_id", "ID of specimen"),
            F.IntRef("roi_id", "ID of region of interest", required: true),
            F.Ref("acquisition_task_id", "ID of acquisition task"),
            F.Obj("hardware_settings", ComplexTypes.HardwareSettings, "Hardware settings of acquisition"),
            F.Obj("acquisition_settings", ComplexTypes.AcquisitionSettings, "Acquisition settings of acquisition"),
            F.Obj("calibration_info", ComplexTypes.CalibrationInfo, "Calibration information of acquisition"),
            F.Enum("status", "Status of acquisition", Statuses) with { Default = "imaging", Hot = true },
            F.Float("tilt_angle", "Tilt angle of acquisition in degrees") with { Minimum = -90, Maximum = 90 },
            F.Bool("lens_correction", "Whether this acquisition is a lens correction calibration"),
            F.Time("start_time", "Start time of acquisition") with { Hot = true },
            F.Time("end_time", "End time of acquisition"),
            F.ObjList("storage_locations", ComplexTypes.StorageLocation, "Storage locations of acquisition; at most one is current"),
            F.Str("montage_set_name", "Name of montage set"),
            F.Obj("sub_region", ComplexTypes.OpenObject, "Sub region of acquisition (a map of integers)"),
            F.Ref("replaces_acquisition_id", "ID of the acquisition this one replaces (re-imaging)"),
            F.Int("task_version", "Version of its task this acquisition was made for (server-set); only those of the current version count") with { ServerSet = true },
            .. Rollups,
        ],
        References =
        [
            new("specimen_id", "Specimens", "specimen", "acquisitions"),
            new("roi_id", "ROIs", "roi", "acquisitions"),
            new("acquisition_task_id", "AcquisitionTasks", "task", "acquisitions"),
            new("replaces_acquisition_id", "Acquisitions", "replaces", "replaced_by"),
        ],
        Denormalised =
        [
            new("roi_id", "acquisition_task_id", "roi_id"),
            new("specimen_id", "roi_id", "specimen_id"),
        ],
        Rules = [new OneCurrentStorageLocationRule(), new TimeOrderRule("start_time", "end_time"), new IntegerMapRule("sub_region")],
    };
}
