namespace Lims.Collections.Definitions;

/// <summary>
/// The API keys: name, role and life cycle. Read-only as a collection: keys are created and revoked by the
/// auth capability, which keeps the key's hash in a table of its own, so no query can ever return it.
/// </summary>
public static class ApiKeys
{
    /// <summary>The roles a key can hold, from least to most trusted (instrument and technician are siblings).</summary>
    public static readonly string[] Roles = ["viewer", "instrument", "technician", "admin"];

    public static readonly CollectionDefinition Definition = new()
    {
        EntitySet = "ApiKeys",
        EntityType = "ApiKey",
        Table = "api_keys",
        Description = "An API key: its name (the actor in the audit trail), role and state. The key itself is shown once, when created.",
        Key = F.Key("name", "Name of the key; recorded as the actor of every write made with it"),
        Fields =
        [
            F.Enum("role", "What the key may do", Roles) with { Required = true, Hot = true },
            F.Str("key_prefix", "The first characters of the key, to recognise it"),
            F.Str("created_by", "Who created the key"),
            F.Time("revoked_at", "When the key was revoked; a revoked key no longer authenticates") with { Hot = true },
            F.Str("revoked_by", "Who revoked the key"),
        ],
        ReadOnly = true,
    };
}
