using System.Text.Json.Nodes;
using Lims.Storage;

namespace Lims.Audit;

/// <summary>The kinds of write the audit trail records.</summary>
public static class AuditOperations
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Delete = "delete";
    public const string Action = "action";
    public const string Ingest = "ingest";
    public const string Import = "import";
}

/// <summary>
/// One write to record. <see cref="Action"/> names the action for <see cref="AuditOperations.Action"/>; <see cref="Details"/>
/// holds what else matters (action parameters, tile counts of an ingest batch). The correlation id defaults to the
/// current request's.
/// </summary>
public sealed record AuditRecord(string Operation, string EntitySet, string? Key, string Actor)
{
    public string? Action { get; init; }
    public JsonObject? Changes { get; init; }
    public JsonObject? Details { get; init; }
    public string? CorrelationId { get; init; }
}

/// <summary>
/// Appends entries to the audit trail inside the caller's transaction, so an entry exists exactly when its write does.
/// Document writes (actions included) are recorded by <see cref="AuditWriteHook"/>; an ingest batch, which stores tiles
/// without the per-document pipeline, records one entry for the whole batch through <see cref="RecordAsync"/>.
/// </summary>
public interface IAuditTrail
{
    Task RecordAsync(StoreSession session, AuditRecord record, CancellationToken ct);
}
