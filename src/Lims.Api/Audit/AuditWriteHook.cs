using System.Text.Json.Nodes;
using Lims.Collections;
using Lims.Documents;

namespace Lims.Audit;

/// <summary>
/// Records every document create, update and delete, inside its transaction. Updates list each changed top-level
/// field with its value before and after; an update made by a bound action is recorded as that action, with its
/// reason. The demo seed load is not recorded document by document. Last in <see cref="WriteHooks.Order"/>, so it
/// records what is really stored.
/// </summary>
public sealed class AuditWriteHook(IAuditTrail trail) : IDocumentWriteHook
{
    public async Task OnWriteAsync(WriteContext context, CancellationToken ct)
    {
        var origin = context.Origin;
        if (origin.Source == WriteSource.Seed)
        {
            return;
        }
        var (operation, changes) = (context.Before, context.After) switch
        {
            (null, _) => (AuditOperations.Create, null),
            (_, null) => (AuditOperations.Delete, null),
            var (before, after) => (origin.Action is null ? AuditOperations.Update : AuditOperations.Action, Changes(before, after)),
        };
        var key = Convert.ToString(context.Key, System.Globalization.CultureInfo.InvariantCulture);
        await trail.RecordAsync(context.Session, new AuditRecord(operation, context.Collection.EntitySet, key, origin.Actor)
        {
            Action = origin.Action,
            Changes = changes,
            Details = origin.Reason is null ? null : new JsonObject { ["reason"] = origin.Reason },
            CorrelationId = origin.CorrelationId,
        }, ct);
    }

    /// <summary>Each top-level field whose value differs, as <c>{"field": {"before": ..., "after": ...}}</c>; the update time itself is left out.</summary>
    public static JsonObject Changes(JsonObject before, JsonObject after)
    {
        var changes = new JsonObject();
        foreach (var name in before.Select(p => p.Key).Union(after.Select(p => p.Key)).Where(n => n != Timestamps.UpdatedAt))
        {
            var old = before[name];
            var current = after[name];
            if (!JsonNode.DeepEquals(old, current))
            {
                changes[name] = new JsonObject { ["before"] = old?.DeepClone(), ["after"] = current?.DeepClone() };
            }
        }
        return changes;
    }
}
