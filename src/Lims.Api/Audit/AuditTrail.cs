using System.Text.Json.Nodes;
using Lims.Collections;
using Lims.Collections.Definitions;
using Lims.Storage;
using Lims.Validation;

namespace Lims.Audit;

/// <summary>Stores audit entries as documents of the read-only <c>AuditEntries</c> collection.</summary>
public sealed class AuditTrail(TimeProvider time, IHttpContextAccessor http) : IAuditTrail
{
    private static CollectionDefinition Entries => AuditEntries.Definition;

    public async Task RecordAsync(StoreSession session, AuditRecord record, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(record);
        var now = time.GetUtcNow();
        var id = TimeOrderedIds.New(now);
        var at = DocumentNormalizer.FormatTime(now);
        var document = new JsonObject
        {
            [Entries.Key.Name] = id,
            ["actor"] = record.Actor,
            ["operation"] = record.Operation,
            ["entity_set"] = record.EntitySet,
            ["entity_key"] = record.Key,
            ["action"] = record.Action,
            ["changes"] = record.Changes,
            ["details"] = record.Details,
            ["correlation_id"] = record.CorrelationId ?? http.HttpContext?.TraceIdentifier,
            [Timestamps.CreatedAt] = at,
            [Timestamps.UpdatedAt] = at,
        };
        foreach (var empty in document.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            document.Remove(empty);
        }
        await session.InsertAsync(Entries, id, document, ct);
    }
}
