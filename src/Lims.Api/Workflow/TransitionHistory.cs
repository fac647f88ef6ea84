using System.Text.Json.Nodes;
using Lims.Collections;
using Lims.Collections.Definitions;
using Lims.Storage;
using Lims.Validation;

namespace Lims.Workflow;

/// <summary>Writes one history document per status transition, in the transaction of the write that made it.</summary>
public static class TransitionHistory
{
    public static Task RecordTaskAsync(StoreSession session, DateTimeOffset at, string taskId, string? from, string to, long? version, string cause, string? reason, CancellationToken ct)
    {
        var document = Event(TaskEvents.Definition, at, from, to, cause, reason);
        document["task_id"] = taskId;
        document["version"] = version;
        return InsertAsync(session, TaskEvents.Definition, document, ct);
    }

    public static Task RecordAcquisitionAsync(StoreSession session, DateTimeOffset at, string acquisitionId, string? taskId, string? from, string to, string cause, string? reason, CancellationToken ct)
    {
        var document = Event(AcquisitionEvents.Definition, at, from, to, cause, reason);
        document["acquisition_id"] = acquisitionId;
        document["acquisition_task_id"] = taskId;
        return InsertAsync(session, AcquisitionEvents.Definition, document, ct);
    }

    private static JsonObject Event(CollectionDefinition collection, DateTimeOffset at, string? from, string to, string cause, string? reason)
    {
        var stamp = DocumentNormalizer.FormatTime(at);
        // Ordering by event_id follows the order of transitions, also two in one millisecond (a version 7 Guid is
        // random after its millisecond, which put a task's creation after its first transition now and then).
        return new JsonObject
        {
            [collection.Key.Name] = TimeOrderedIds.New(at),
            ["from_status"] = from,
            ["to_status"] = to,
            ["at"] = stamp,
            ["cause"] = cause,
            ["reason"] = reason,
            [Timestamps.CreatedAt] = stamp,
            [Timestamps.UpdatedAt] = stamp,
        };
    }

    private static Task InsertAsync(StoreSession session, CollectionDefinition collection, JsonObject document, CancellationToken ct) =>
        session.InsertAsync(collection, document[collection.Key.Name]!.GetValue<string>(), document, ct);
}
