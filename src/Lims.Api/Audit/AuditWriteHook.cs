using System.Text.Json.Nodes;
using Lims.Collections;
using Lims.Documents;

namespace Lims.Audit;

/// <summary>
/// Records every document create, update and delete, inside its transaction. Updates list each changed top-level
/// field with its value before and after. The demo seed load (actor <c>seed</c>) is not recorded document by document.
/// Registered after the other write hooks, so it records what is really stored.
/// </summary>
public sealed class AuditWriteHook(IAuditTrail trail) : IDocumentWriteHook
{
    public const string SeedActor = "seed";

    public async Task OnWriteAsync(WriteContext context, CancellationToken ct)
    {
        if (context.Actor == SeedActor || AuditTrail.DocumentEntriesSuppressed)
        {
            return;
        }
        var (operation, changes) = (context.Before, context.After) switch
        {
            (null, _) => (AuditOperations.Create, null),
            (_, null) => (AuditOperations.Delete, null),
            var (before, after) => (AuditOperations.Update, Changes(before, after)),
        };
        var key = Convert.ToString(context.Key, System.Globalization.CultureInfo.InvariantCulture);
        await trail.RecordAsync(context.Session, new AuditRecord(operation, context.Collection.EntitySet, key, context.Actor) { Changes = changes }, ct);
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
