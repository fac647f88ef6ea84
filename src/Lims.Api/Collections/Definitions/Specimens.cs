namespace Lims.Collections.Definitions;

public static class Specimens
{
    public static readonly CollectionDefinition Definition = new()
    {
        EntitySet = "Specimens",
        EntityType = "Specimen",
        Table = "specimens",
        Description = "A tissue sample that is cut into blocks.",
        Key = F.Key("specimen_id", "ID of specimen"),
        Fields =
        [
            F.Str("description", "Description of specimen, used for additional notes."),
            F.StrList("specimen_images", "Images of specimen") with { UniqueItems = true },
            F.Obj("functional_imaging_metadata", ComplexTypes.OpenObject, "Functional imaging metadata, optional links to other datasets"),
        ],
    };
}
