using System.Text.Json.Nodes;
using Lims.Collections;
using Lims.Documents;
using Lims.Errors;
using Lims.OData;
using Lims.OData.Protocol;
using Lims.OData.Query;
using Lims.Storage;
using Microsoft.Extensions.Options;
using Microsoft.OData.UriParser;

namespace Lims.Api;

/// <summary>The generic handlers every collection gets from its definition: reads, creates, updates, deletes.</summary>
public sealed class DocumentHandlers(DocumentService documents, ReferenceHandlers references, IOptions<ODataLimits> limits, TimeProvider clock)
{
    private DocumentStore Store => documents.Store;

    public Task HandleAsync(ODataRequest request, IReadOnlyList<ODataPathSegment> segments)
    {
        var method = request.Http.Request.Method;
        if (method == "GET" && Preferences.Of(request.Http.Request).IncludeAnnotations is { } annotations)
        {
            // Lims writes no instance annotations beyond OData's own control information, so any filter is met.
            Preferences.Applied(request.Http.Response, $"odata.include-annotations=\"{annotations}\"");
        }
        return (segments.Count, method, segments.ElementAtOrDefault(1), segments.ElementAtOrDefault(2), segments.ElementAtOrDefault(3)) switch
        {
            (1, "GET", _, _, _) => ReadCollectionAsync(request, request.Collection, []),
            (1, "POST", _, _, _) => CreateAsync(request),
            (2, "GET", CountSegment, _, _) => CountAsync(request, request.Collection, []),
            (2, "GET", KeySegment, _, _) => ReadEntityAsync(request),
            (2, "PUT", KeySegment, _, _) => UpdateAsync(request, patch: false),
            (2, "PATCH", KeySegment, _, _) => UpdateAsync(request, patch: true),
            (2, "DELETE", KeySegment, _, _) => DeleteAsync(request),
            (3, "GET", KeySegment, NavigationPropertySegment navigation, _) => ReadNavigationAsync(request, navigation, count: false),
            (4, "GET", KeySegment, NavigationPropertySegment navigation, CountSegment) => ReadNavigationAsync(request, navigation, count: true),
            (3, "GET", KeySegment, PropertySegment property, _) => ReadPropertyAsync(request, property),
            (4, "GET", KeySegment, PropertySegment property, ValueSegment) => RawValues.WriteAsync(request, Store, property),
            (3, _, KeySegment, NavigationPropertyLinkSegment link, _) => references.HandleAsync(request, link),
            (3, _, KeySegment, DynamicPathSegment dynamic, _) => throw ApiException.NotFound($"{request.Collection.EntityType} has no property '{dynamic.Identifier}'."),
            (_, "GET", _, _, _) => throw ApiException.NotImplemented($"{request.Http.Request.Path} is valid OData but not served by Lims."),
            _ => throw new ApiException(405, "MethodNotAllowed", $"{method} is not allowed on {request.Http.Request.Path}."),
        };
    }

    private async Task ReadCollectionAsync(ODataRequest request, CollectionDefinition collection, IReadOnlyList<Func<SqlBuilder, string>> scope)
    {
        var plan = Compile(request, collection, scope);
        var context = EntityResponses.ContextUrl(request.ServiceRoot, collection, plan.Select, entity: false);
        await QueryExecutor.WriteCollectionAsync(request.Http, Store, plan, PageLimits(request), context);
    }

    private async Task CountAsync(ODataRequest request, CollectionDefinition collection, IReadOnlyList<Func<SqlBuilder, string>> scope)
    {
        var count = await EntityResponses.CountAsync(Store, Compile(request, collection, scope), request.Http.RequestAborted);
        request.Http.Response.ContentType = "text/plain";
        await request.Http.Response.WriteAsync(count.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Http.RequestAborted);
    }

    private async Task ReadEntityAsync(ODataRequest request)
    {
        var plan = Compile(request, request.Collection, [sql => $"{QueryPlan.Alias}.id = {sql.Parameter(request.Key)}"]);
        var stored = await EntityResponses.ReadOneAsync(Store, plan, request.Http.RequestAborted)
            ?? throw DocumentService.NotFound(request.Collection, request.Key!);
        if (request.Http.Request.Headers.IfNoneMatch.Contains(stored.ETag))
        {
            request.Http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        await QueryExecutor.WriteEntityAsync(request.Http, Store, plan, stored, 200, request.ServiceRoot, limits.Value);
    }

    private async Task ReadNavigationAsync(ODataRequest request, NavigationPropertySegment segment, bool count)
    {
        var parent = request.Collection;
        var parentKey = request.Key!;
        if (parent.References.FirstOrDefault(r => r.Navigation == segment.NavigationProperty.Name) is { } forward)
        {
            // Single-valued: the parent's reference field names the target's key.
            var target = Catalog.Get(forward.Target);
            var plan = Compile(request, target,
                [sql => $"{QueryPlan.Alias}.id = (SELECT {SqlDialect.Quote(forward.Field)} FROM {parent.Table} WHERE id = {sql.Parameter(parentKey)})"]);
            var stored = await EntityResponses.ReadOneAsync(Store, plan, request.Http.RequestAborted);
            if (stored is null)
            {
                await RequireAsync(parent, parentKey, request.Http.RequestAborted);
                request.Http.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }
            await QueryExecutor.WriteEntityAsync(request.Http, Store, plan, stored, 200, request.ServiceRoot, limits.Value);
            return;
        }
        var (source, reference) = Catalog.ReferencesTo(parent).FirstOrDefault(r => r.Reference.ReverseNavigation == segment.NavigationProperty.Name);
        if (source is null)
        {
            throw ApiException.NotImplemented($"Navigation '{segment.NavigationProperty.Name}' is not served.");
        }
        await RequireAsync(parent, parentKey, request.Http.RequestAborted);
        IReadOnlyList<Func<SqlBuilder, string>> scope = [sql => $"{QueryPlan.Alias}.{SqlDialect.Quote(reference.Field)} = {sql.Parameter(parentKey)}"];
        await (count ? CountAsync(request, source, scope) : ReadCollectionAsync(request, source, scope));
    }

    /// <summary><c>Specimens('S1')/description</c>: the property's value, <c>{"value": ...}</c> for primitives and collections.</summary>
    private async Task ReadPropertyAsync(ODataRequest request, PropertySegment segment)
    {
        var stored = await Store.ReadAsync(session => session.GetAsync(request.Collection, request.Key!, request.Http.RequestAborted), request.Http.RequestAborted)
            ?? throw DocumentService.NotFound(request.Collection, request.Key!);
        var value = stored.Document[segment.Property.Name];
        if (value is null)
        {
            request.Http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        var context = $"{request.ServiceRoot}$metadata#{request.Collection.EntitySet}({Validation.ReferenceResolver.FormatKey(request.Key!)})/{segment.Property.Name}";
        var body = value is JsonObject obj ? (JsonObject)obj.DeepClone() : new JsonObject { ["value"] = value.DeepClone() };
        body.Insert(0, "@odata.context", context);
        request.Http.Response.ContentType = ResponseFormat.DefaultContentType;
        await request.Http.Response.WriteAsync(body.ToJsonString(), request.Http.RequestAborted);
    }

    private async Task CreateAsync(ODataRequest request)
    {
        RequireWritable(request.Collection);
        var body = await RequestBody.ReadAsync(request.Http.Request);
        var ct = request.Http.RequestAborted;
        switch (body)
        {
            case JsonObject document:
                var created = await documents.CreateAsync(request.Collection, document, request.Origin(), ct);
                var key = DocumentService.KeyOf(request.Collection, created.Document);
                request.Http.Response.Headers.Location = EntityResponses.EntityUrl(request.ServiceRoot, request.Collection, key);
                await WriteOrMinimalAsync(request, created, 201);
                break;
            case JsonArray array when request.Collection.AllowsBatchCreate:
                var items = array.Select((item, i) => item as JsonObject ?? throw ApiException.BadRequest($"Item {i} of the batch is not a JSON object.")).ToList();
                if (items.Count == 0)
                {
                    throw ApiException.BadRequest("The batch is empty.");
                }
                var all = await documents.CreateManyAsync(request.Collection, items, isBatch: true, request.Origin(), ct);
                await EntityResponses.WriteEntitiesAsync(request.Http, request.ServiceRoot, request.Collection, all, 201);
                break;
            case JsonArray:
                throw ApiException.BadRequest($"{request.Collection.EntitySet} takes one JSON object per POST; batch create is offered for Sections, ROIs and AcquisitionTasks.");
            default:
                throw ApiException.BadRequest("The body must be a JSON object.");
        }
    }

    private async Task UpdateAsync(ODataRequest request, bool patch)
    {
        RequireWritable(request.Collection);
        var body = await RequestBody.ReadObjectAsync(request.Http.Request);
        var ifMatch = request.Http.Request.Headers.IfMatch.ToString();
        var ct = request.Http.RequestAborted;
        var updated = patch
            ? await documents.PatchAsync(request.Collection, request.Key!, body, ifMatch, request.Origin(), ct)
            : await documents.ReplaceAsync(request.Collection, request.Key!, body, ifMatch, request.Origin(), ct);
        await WriteOrMinimalAsync(request, updated, 200);
    }

    private async Task DeleteAsync(ODataRequest request)
    {
        RequireWritable(request.Collection);
        var cascade = string.Equals(request.Http.Request.Query["cascade"], "true", StringComparison.OrdinalIgnoreCase);
        await documents.DeleteAsync(request.Collection, request.Key!, request.Http.Request.Headers.IfMatch.ToString(), cascade, request.Origin(), request.Http.RequestAborted);
        request.Http.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>The written entity, or with <c>Prefer: return=minimal</c> a 204 naming it in <c>OData-EntityId</c>.</summary>
    private static async Task WriteOrMinimalAsync(ODataRequest request, StoredDocument stored, int status)
    {
        var response = request.Http.Response;
        var preferences = Preferences.Of(request.Http.Request);
        if (preferences.ReturnMinimal)
        {
            response.StatusCode = StatusCodes.Status204NoContent;
            response.Headers.ETag = stored.ETag;
            response.Headers["OData-EntityId"] = EntityResponses.EntityUrl(request.ServiceRoot, request.Collection, DocumentService.KeyOf(request.Collection, stored.Document));
            Preferences.Applied(response, "return=minimal");
            return;
        }
        if (preferences.Return == "representation")
        {
            Preferences.Applied(response, "return=representation");
        }
        await EntityResponses.WriteEntityAsync(request.Http, request.ServiceRoot, request.Collection, stored, status);
    }

    /// <summary>The limits of a collection read, with the page size a client asked for in <c>Prefer: odata.maxpagesize</c>.</summary>
    private ODataLimits PageLimits(ODataRequest request)
    {
        if (Preferences.Of(request.Http.Request).MaxPageSize is not { } asked)
        {
            return limits.Value;
        }
        var size = Math.Min(asked, limits.Value.MaxPreferredPageSize);
        Preferences.Applied(request.Http.Response, $"odata.maxpagesize={size}");
        return limits.Value.WithPageSize(size);
    }

    private QueryPlan Compile(ODataRequest request, CollectionDefinition collection, IReadOnlyList<Func<SqlBuilder, string>> scope)
    {
        return QueryPlans.Compile(request, collection, scope, Store.Dialect, limits.Value, clock);
    }

    private async Task RequireAsync(CollectionDefinition collection, object key, CancellationToken ct)
    {
        if (await Store.ReadAsync(session => session.GetAsync(collection, key, ct), ct) is null)
        {
            throw DocumentService.NotFound(collection, key);
        }
    }

    private static void RequireWritable(CollectionDefinition collection)
    {
        if (collection.ReadOnly)
        {
            throw new ApiException(405, "MethodNotAllowed", $"{collection.EntitySet} is written by the service and read-only here.");
        }
    }
}
