namespace Lims.Collections.Definitions;

public static class Sections
{
    public static readonly CollectionDefinition Definition = new()
    {
        EntitySet = "Sections",
        EntityType = "Section",
        Table = "sections",
        Description = "A thin slice of a block, placed on a substrate aperture.",
        Key = F.Key("section_id", "ID of section"),
        Fields =
        [
            F.Int("section_number", "Number of section from collection") with { Required = true, Minimum = 0, ExclusiveMinimum = true, Hot = true },
            F.Time("timestamp", "When the section was collected"),
            F.Ref("cutting_session_id", "ID of cutting session section was collected in", required: true),
            F.Ref("block_id", "ID of block (denormalised from the cutting session)"),
            F.Ref("specimen_id", "ID of specimen (denormalised from the cutting session)"),
            F.Ref("media_id", "ID of substrate the section is on"),
            F.Str("media_type", "Type of substrate the section is on"),
            F.Str("aperture_uid", "Aperture of the substrate"),
            F.Int("aperture_index", "Index of the aperture on the substrate") with { Minimum = 0 },
            F.Int("relative_position", "Position of section relative to substrate centroid"),
            F.Str("barcode", "Barcode of section if using a barcode system per substrate aperture") with { Hot = true },
            F.Obj("optical_image", ComplexTypes.OpenObject, "Optical image of section collected before imaging"),
            F.Obj("section_metrics", ComplexTypes.SectionMetrics, "Metrics of section"),
        ],
        References =
        [
            new("cutting_session_id", "CuttingSessions", "cutting_session", "sections"),
            new("media_id", "Substrates", "substrate", "sections"),
        ],
        Denormalised =
        [
            new("block_id", "cutting_session_id", "block_id"),
            new("specimen_id", "cutting_session_id", "specimen_id"),
            new("media_type", "media_id", "media_type"),
        ],
        UniqueTogether = [["cutting_session_id", "section_number"]],
        AllowsBatchCreate = true,
    };
}
