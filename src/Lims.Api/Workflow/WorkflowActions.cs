using System.Text.Json.Nodes;
using Lims.Api;
using Lims.Collections;
using Lims.Collections.Definitions;
using Lims.Documents;
using Lims.Errors;
using Lims.OData;
using Lims.Storage;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace Lims.Workflow;

/// <summary>One bound action: where it is bound, its name, what it does to the status, and whether a reason is required.</summary>
public sealed record WorkflowAction(CollectionDefinition Collection, string Name, string To, bool ReasonRequired, string Summary);

/// <summary>
/// The lifecycle actions as OData bound actions (<c>POST /odata/AcquisitionTasks('T1')/Lims.Start</c>), listed in
/// $metadata. Each is an ordinary compare-and-set write through <see cref="DocumentService"/>, so the state machine,
/// history and follow-up jobs apply exactly as for a PATCH. Body (optional unless required): <c>{"reason": "..."}</c>.
/// </summary>
public sealed class WorkflowActions(DocumentService documents, TimeProvider time) : IODataExtension
{
    public static readonly IReadOnlyList<WorkflowAction> All =
    [
        new(AcquisitionTasks.Definition, "Start", TaskStatus.InProgress, false, "Start a Planned task (refused before metadata.not_before after a re-plan)."),
        new(AcquisitionTasks.Definition, "Abort", TaskStatus.Aborted, false, "Abort the task and its acquisitions still imaging or in QC."),
        new(AcquisitionTasks.Definition, "Replan", TaskStatus.Planned, false, "Send an In Progress or Failed task back to Planned with version + 1."),
        new(Acquisitions.Definition, "MarkAcquired", AcquisitionStatus.Acquired, false, "Imaging is done (end_time set if missing); QC follows."),
        new(Acquisitions.Definition, "Abort", AcquisitionStatus.Aborted, false, "Abort the acquisition."),
        new(Acquisitions.Definition, "Fail", AcquisitionStatus.Failed, true, "Fail the acquisition, with a reason."),
    ];

    public void ExtendModel(EdmModel model, EdmEntityContainer container)
    {
        foreach (var action in All)
        {
            var type = (IEdmEntityType)model.FindDeclaredType($"{EdmModelBuilder.Namespace}.{action.Collection.EntityType}");
            var edm = new EdmAction(EdmModelBuilder.Namespace, action.Name, new EdmEntityTypeReference(type, isNullable: false), isBound: true, entitySetPathExpression: null);
            edm.AddParameter("bindingParameter", new EdmEntityTypeReference(type, isNullable: false));
            edm.AddParameter("reason", EdmCoreModel.Instance.GetString(isNullable: !action.ReasonRequired));
            model.AddElement(edm);
        }
    }

    public async Task<bool> TryHandleAsync(ODataRequest request)
    {
        if (request.Path.LastSegment is not OperationSegment segment || request.Key is null)
        {
            return false;
        }
        var name = segment.Operations.First().Name;
        var action = All.FirstOrDefault(a => a.Collection.EntitySet == request.Collection.EntitySet && a.Name == name);
        if (action is null)
        {
            return false;
        }
        if (!HttpMethods.IsPost(request.Http.Request.Method))
        {
            throw new ApiException(405, "MethodNotAllowed", $"Lims.{name} is an action: use POST.");
        }
        var reason = await ReadReasonAsync(request.Http.Request, action);
        var ifMatch = request.Http.Request.Headers.IfMatch.ToString();
        var origin = request.Origin(WriteSource.Action) with { Reason = reason, Action = $"Lims.{name}" };
        var stored = await RunAsync(action, request.Key, ifMatch, origin, request.Http.RequestAborted);
        request.Http.Response.Headers.ETag = stored.ETag;
        await EntityResponses.WriteEntityAsync(request.Http, request.ServiceRoot, request.Collection, stored, 200);
        return true;
    }

    /// <summary>
    /// Runs an action on one document; the write and its side effects share one transaction. Without If-Match, a race
    /// lost to a concurrent writer is retried on the new state (which then usually makes the action a 409).
    /// </summary>
    public async Task<StoredDocument> RunAsync(WorkflowAction action, object key, string? ifMatch, WriteOrigin origin, CancellationToken ct) =>
        await documents.TransactAsync(async session =>
        {
            var stored = await documents.UpdateInSessionAsync(session, action.Collection, key, ifMatch, origin, document =>
            {
                if (document["status"]?.GetValue<string>() == action.To)
                {
                    // An action is a transition; unlike a PATCH repeating the same status, it cannot be a no-op.
                    throw new ApiException(409, "IllegalTransition", $"{action.Collection.EntitySet}({ReferenceResolverKey(key)}) is already '{action.To}'.",
                        [new("IllegalTransition", "status", $"Lims.{action.Name} needs a status other than '{action.To}'.")]);
                }
                if (action is { Name: "Start" })
                {
                    TaskReconciler.RequireOffered(document, time.GetUtcNow());
                }
                if (action.To == TaskStatus.Planned)
                {
                    TaskReconciler.SetNotBefore(document, null);
                }
                document["status"] = action.To;
                return document;
            }, fillDefaults: false, ct);
            if (action.Collection == AcquisitionTasks.Definition && action.To == TaskStatus.Aborted)
            {
                await AbortLiveAcquisitionsAsync(session, (string)key, origin, ct);
            }
            return stored;
        }, action.Collection, retryRaces: string.IsNullOrEmpty(ifMatch), ct);

    private static string ReferenceResolverKey(object key) => Validation.ReferenceResolver.FormatKey(key);

    private async Task AbortLiveAcquisitionsAsync(StoreSession session, string taskId, WriteOrigin origin, CancellationToken ct)
    {
        foreach (var acquisition in await WorkflowQueries.AcquisitionsOfTasksAsync(session, [taskId], ct))
        {
            if (AcquisitionStatus.Live.Contains(acquisition["status"]?.GetValue<string>() ?? ""))
            {
                await documents.UpdateInSessionAsync(session, Acquisitions.Definition, acquisition["acquisition_id"]!.GetValue<string>(), null, origin, document =>
                {
                    document["status"] = AcquisitionStatus.Aborted;
                    return document;
                }, fillDefaults: false, ct);
            }
        }
    }

    private static async Task<string?> ReadReasonAsync(HttpRequest request, WorkflowAction action)
    {
        string? reason = null;
        if (request.ContentLength is not 0 && (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0))
        {
            var body = await RequestBody.ReadObjectAsync(request);
            reason = body["reason"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
            if (body["reason"] is not null && reason is null)
            {
                throw ApiException.BadRequest("'reason' must be a string.", [new("InvalidType", "reason", "A string is expected.")]);
            }
        }
        if (action.ReasonRequired && string.IsNullOrWhiteSpace(reason))
        {
            throw ApiException.BadRequest($"Lims.{action.Name} needs a reason: send {{\"reason\": \"...\"}}.", [new("Required", "reason", "reason is required.")]);
        }
        return reason;
    }
}
