namespace Lims.Collections.Definitions;

/// <summary>The audit trail: one entry per write, appended by the service and never changed by any route.</summary>
public static class AuditEntries
{
    public static readonly string[] Operations = ["create", "update", "delete", "action", "ingest", "import"];

    public static readonly CollectionDefinition Definition = new()
    {
        EntitySet = "AuditEntries",
        EntityType = "AuditEntry",
        Table = "audit_entries",
        Description = "Who changed what and when: one entry per create, update, delete, action, ingest batch and package import. Append-only.",
        Key = F.Key("audit_id", "Time-ordered id of the entry"),
        Fields =
        [
            F.Str("actor", "Name of the API key (or 'cli', 'system') that made the change") with { Hot = true },
            F.Enum("operation", "Kind of write", Operations) with { Required = true, Hot = true },
            F.Str("entity_set", "Collection written") with { Hot = true },
            F.Str("entity_key", "Key of the document written, as text") with { Hot = true },
            F.Str("action", "Name of the action, for operation 'action' (e.g. Lims.Start)"),
            F.Obj("changes", ComplexTypes.OpenObject, "For updates: each changed field with its 'before' and 'after' value"),
            F.Obj("details", ComplexTypes.OpenObject, "What else the writer recorded (action parameters, ingest counts)"),
            F.Str("correlation_id", "The request's X-Correlation-Id") with { Hot = true },
        ],
        ReadOnly = true,
    };
}
