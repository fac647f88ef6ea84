using Lims.Collections.Rules;

namespace Lims.Collections.Definitions;

public static class Tiles
{
    public static readonly CollectionDefinition Definition = new()
    {
        EntitySet = "Tiles",
        EntityType = "Tile",
        Table = "tiles",
        Description = "One image of a montage, with its statistics and neighbour matches.",
        Key = F.Key("tile_id", "ID of the tile"),
        Fields =
        [
            F.Ref("acquisition_id", "ID of the acquisition", required: true),
            F.IntRef("roi_id", "ID of the ROI (denormalised from the acquisition)"),
            F.Ref("specimen_id", "ID of the specimen (denormalised from the acquisition)"),
            F.Int("raster_index", "Index of the tile in the raster") with { Minimum = 0, Hot = true, OwnIndex = false },
            F.Obj("stage_position", ComplexTypes.StagePosition, "Stage position of the tile in stage coordinates in nm"),
            F.Obj("raster_position", ComplexTypes.RasterPosition, "Row, column raster position of the tile"),
            F.Float("focus_score", "Focus score of the tile") with { Hot = true, OwnIndex = false },
            F.Float("min_value", "Minimum pixel value of the tile"),
            F.Float("max_value", "Maximum pixel value of the tile"),
            F.Float("mean_value", "Mean pixel value of the tile"),
            F.Float("std_value", "Standard deviation of pixel values of the tile") with { Minimum = 0 },
            F.Str("image_path", "URL to the image of the tile"),
            F.ObjList("matcher", ComplexTypes.MatcherEntry, "Matching data for the tile"),
            F.Str("supertile_id", "ID of the supertile the tile belongs to"),
            F.Obj("supertile_raster_position", ComplexTypes.RasterPosition, "Row, column raster position of the supertile"),
        ],
        References = [new("acquisition_id", "Acquisitions", "acquisition", "tiles")],
        Denormalised =
        [
            new("roi_id", "acquisition_id", "roi_id"),
            new("specimen_id", "acquisition_id", "specimen_id"),
        ],
        // Quality blocks read an acquisition's tiles by raster-index range; dashboards ask for an acquisition's worst
        // (or best) focus, its focus range and whether any tile is below a threshold. Both serve the acquisition alone.
        Indexes = [["acquisition_id", "raster_index"], ["acquisition_id", "focus_score"]],
        // Every other scalar dashboards filter, sort and aggregate on: read as columns, indexed only through the above.
        TypedPaths =
        [
            ["min_value"], ["max_value"], ["mean_value"], ["std_value"],
            ["stage_position", "x"], ["stage_position", "y"], ["raster_position", "row"], ["raster_position", "col"],
        ],
        // Dashboards group all tiles by acquisition or ROI: answered from per-acquisition aggregates, not a full scan.
        Summary = new(["acquisition_id", "roi_id", "specimen_id"], ["focus_score", "mean_value"]),
        Rules = [new PixelStatisticsRule()],
    };
}
