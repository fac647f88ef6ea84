namespace Lims.Collections.Definitions;

public static class Substrates
{
    public static readonly CollectionDefinition Definition = new()
    {
        EntitySet = "Substrates",
        EntityType = "Substrate",
        Table = "substrates",
        Description = "A tape, wafer or grid that sections are placed on, with its apertures.",
        Key = F.Key("media_id", "ID of the substrate"),
        Fields =
        [
            F.Str("media_type", "tape, wafer, grid or stick") with { Hot = true },
            F.Str("uid"),
            F.Str("status", "new, in_use, full or retired") with { Default = "new", Hot = true },
            F.Obj("refpoint", ComplexTypes.ReferencePoints),
            F.Obj("refpoint_world", ComplexTypes.ReferencePoints),
            F.Str("source_path"),
            F.Obj("metadata", ComplexTypes.SubstrateMetadata),
            F.ObjList("apertures", ComplexTypes.Aperture),
        ],
    };
}
