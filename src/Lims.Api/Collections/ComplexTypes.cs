namespace Lims.Collections;

/// <summary>The structured shapes of NOTES.md. All are open: keys not named here are kept as sent.</summary>
public static class ComplexTypes
{
    public static readonly string[] MatcherPositions = ["invalid", "center", "left", "top", "right", "bottom"];
    public static readonly string[] SectionQualities = ["good", "broken", "thin", "thick", "empty"];

    /// <summary>A free-form object (metadata, parameters): no declared keys.</summary>
    public static readonly ComplexTypeDefinition OpenObject = new("OpenObject", []);

    public static readonly ComplexTypeDefinition StagePosition = new("StagePosition",
        [F.Float("x", "Stage x in nm"), F.Float("y", "Stage y in nm")]);

    public static readonly ComplexTypeDefinition RasterPosition = new("RasterPosition",
        [F.Int("row") with { Minimum = 0 }, F.Int("col") with { Minimum = 0 }]);

    public static readonly ComplexTypeDefinition Point3 = new("Point3",
        [F.Float("x"), F.Float("y"), F.Float("z")]);

    public static readonly ComplexTypeDefinition MatcherEntry = new("MatcherEntry",
    [
        F.Int("row"), F.Int("col"),
        F.Float("dX", "Offset in x, pixels"), F.Float("dY", "Offset in y, pixels"),
        F.Float("dXsd"), F.Float("dYsd"), F.Float("distance"),
        F.Float("rotation", "Radians"),
        F.Float("match_quality") with { Minimum = 0, Maximum = 1 },
        F.Enum("position", "Which neighbour the match is against", MatcherPositions),
        F.NumList("pX"), F.NumList("pY"), F.NumList("qX"), F.NumList("qY"),
    ]);

    public static readonly ComplexTypeDefinition HardwareSettings = new("HardwareSettings",
    [
        F.Str("scope_id"), F.Str("camera_model"), F.Str("camera_serial"),
        F.Int("camera_bit_depth") with { Minimum = 1, Maximum = 64 },
        F.Str("media_type"),
    ]);

    public static readonly ComplexTypeDefinition RasterShape = new("RasterShape",
        [F.Int("rows") with { Minimum = 1 }, F.Int("cols") with { Minimum = 1 }]);

    public static readonly ComplexTypeDefinition AcquisitionSettings = new("AcquisitionSettings",
    [
        F.Float("magnification") with { Minimum = 0 },
        F.Float("spot_size"),
        F.Float("exposure_time", "Milliseconds") with { Minimum = 0 },
        F.NumList("tile_size", "[width, height] in pixels"),
        F.Float("tile_overlap"),
        F.Int("saved_bit_depth") with { Minimum = 1, Maximum = 64 },
        F.Obj("raster", RasterShape, "Expected raster of the montage: rows × cols"),
    ]);

    public static readonly ComplexTypeDefinition CalibrationInfo = new("CalibrationInfo",
    [
        F.Float("pixel_size", "nm per pixel") with { Minimum = 0 },
        F.Float("rotation_angle", "Degrees"),
        F.Str("lens_model"),
        F.NumList("aperture_centroid"),
    ]);

    public static readonly ComplexTypeDefinition StorageLocation = new("StorageLocation",
    [
        F.Str("location_type", "local or s3"), F.Str("base_path"), F.Bool("is_current"),
        F.Time("date_added"), F.Obj("metadata", OpenObject),
    ]);

    public static readonly ComplexTypeDefinition SectionMetrics = new("SectionMetrics",
    [
        F.Enum("quality", null, SectionQualities),
        F.Float("thickness_um") with { Minimum = 0 },
        F.Float("knife_quality", "Knife quality score, 0..1") with { Minimum = 0, Maximum = 1 },
        F.Float("tissue_confidence_score") with { Minimum = 0, Maximum = 1 },
        F.Obj("run_parameters", OpenObject),
    ]);

    public static readonly ComplexTypeDefinition ReferencePoints = new("ReferencePoints",
        [F.Obj("origin", Point3), F.Obj("end", Point3), F.Obj("ref", Point3)]);

    public static readonly ComplexTypeDefinition Aperture = new("Aperture",
    [
        F.Str("uid"), F.Int("index") with { Minimum = 0 }, F.Obj("centroid", Point3),
        F.Str("shape"), F.Str("shape_type"), F.Obj("shape_params", OpenObject), F.Str("status"),
    ]);

    public static readonly ComplexTypeDefinition SubstrateMetadata = new("SubstrateMetadata",
        [F.Str("name"), F.Str("user"), F.Time("created"), F.Bool("calibrated"), F.Obj("extra", OpenObject)]);

    public static readonly ComplexTypeDefinition Corners = new("Corners",
        [F.NumList("top_left"), F.NumList("top_right"), F.NumList("bottom_left"), F.NumList("bottom_right")]);

    public static readonly IReadOnlyList<ComplexTypeDefinition> All =
    [
        OpenObject, StagePosition, RasterPosition, Point3, MatcherEntry, HardwareSettings, RasterShape,
        AcquisitionSettings, CalibrationInfo, StorageLocation, SectionMetrics, ReferencePoints, Aperture,
        SubstrateMetadata, Corners,
    ];
}
