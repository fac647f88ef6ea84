namespace Lims.Collections.Definitions;

public static class Blocks
{
    public static readonly CollectionDefinition Definition = new()
    {
        EntitySet = "Blocks",
        EntityType = "Block",
        Table = "blocks",
        Description = "A resin block cut from a specimen.",
        Key = F.Key("block_id", "Block ID of specimen"),
        Fields =
        [
            F.Ref("specimen_id", "ID of specimen", required: true),
            F.Obj("microCT_info", ComplexTypes.OpenObject, "MicroCT information of block"),
        ],
        References = [new("specimen_id", "Specimens", "specimen", "blocks")],
    };
}
