namespace Lims.Collections.Definitions;

public static class Rois
{
    public static readonly CollectionDefinition Definition = new()
    {
        EntitySet = "ROIs",
        EntityType = "ROI",
        Table = "rois",
        Description = "A region of interest on a section, imaged tile by tile. ROIs form a tree through parent_roi_id.",
        Key = new FieldDefinition("roi_id", FieldType.Int) { Hot = true, Minimum = 1, Description = "ID of region of interest (assigned by the server when omitted)" },
        ServerAssignsKey = true,
        Fields =
        [
            F.Ref("section_id", "ID of section", required: true),
            F.Ref("cutting_session_id", "ID of cutting session (denormalised from the section)"),
            F.Ref("block_id", "ID of block (denormalised from the section)"),
            F.Ref("specimen_id", "ID of specimen (denormalised from the section)"),
            F.IntRef("parent_roi_id", "ID of parent region of interest"),
            F.Int("section_number", "Number of section from collection (denormalised from the section)"),
            F.NumList("aperture_width_height", "Width and height of aperture in mm calculated from aperture_image"),
            F.NumList("aperture_centroid", "Center of aperture in pixel coordinates of aperture_image from the top left corner"),
            F.NumList("aperture_bounding_box", "Bounding box of aperture in pixel coordinates of aperture_image from the top left corner"),
            F.Str("aperture_image", "URL of aperture image"),
            F.Float("optical_pixel_size", "Optical resolution in nm per pixel") with { Minimum = 0 },
            F.Float("scale_y", "Scaling factor for y-axis"),
            F.Int("barcode", "Barcode of ROI if present") with { Hot = true },
            F.ObjList("rois", ComplexTypes.OpenObject, "List of ROIs (objects, e.g. {label, vertices})"),
            F.Str("bucket", "Bucket of ROI"),
            F.Str("roi_mask", "URL of ROI mask"),
            F.Str("roi_mask_bucket", "Bucket of ROI mask"),
            F.Obj("corners", ComplexTypes.Corners, "Corners of ROI"),
            F.Obj("corners_perpendicular", ComplexTypes.Corners, "Perpendicular corners of ROI"),
            F.Str("rule", "Rule for ROI corner detection"),
            F.ObjList("edits", ComplexTypes.OpenObject, "List of edits to ROI (objects, e.g. {user, timestamp, action})"),
            F.Bool("auto_roi", "Flag if auto generated ROI was used"),
            F.Obj("roi_parameters", ComplexTypes.OpenObject, "Parameters of ROI"),
        ],
        References =
        [
            new("section_id", "Sections", "section", "rois"),
            new("parent_roi_id", "ROIs", "parent", "children"),
        ],
        Denormalised =
        [
            new("cutting_session_id", "section_id", "cutting_session_id"),
            new("block_id", "section_id", "block_id"),
            new("specimen_id", "section_id", "specimen_id"),
            new("section_number", "section_id", "section_number"),
        ],
        AllowsBatchCreate = true,
    };
}
