using Lims.Collections.Rules;

namespace Lims.Collections.Definitions;

public static class CuttingSessions
{
    public static readonly CollectionDefinition Definition = new()
    {
        EntitySet = "CuttingSessions",
        EntityType = "CuttingSession",
        Table = "cutting_sessions",
        Description = "One sitting at the ultramicrotome, cutting a block into sections.",
        Key = F.Key("cutting_session_id", "ID of cutting session"),
        Fields =
        [
            F.Ref("specimen_id", "ID of specimen the cutting session is associated with"),
            F.Ref("block_id", "ID of block the cutting session is associated with", required: true),
            F.Time("start_time", "Time when cutting session started") with { Hot = true },
            F.Time("end_time", "Time when cutting session ended"),
            F.Str("operator", "Operator of cutting session"),
            F.Str("sectioning_device", "Device used for sectioning"),
            F.Str("media_type", "Type of substrate the sections are placed upon (tape, wafer, grid, stick)"),
            F.Str("knife_id", "Knife used"),
        ],
        References =
        [
            new("specimen_id", "Specimens", "specimen", "cutting_sessions"),
            new("block_id", "Blocks", "block", "cutting_sessions"),
        ],
        Denormalised = [new("specimen_id", "block_id", "specimen_id")],
        Rules = [new TimeOrderRule("start_time", "end_time")],
    };
}
