using System.Text.Json;
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

/// <summary>
/// <c>$ref</c> on a navigation: read the ids it links, and change the link by writing the reference field that
/// holds it (the parent's own field for a single-valued link, the child's for a collection), through the
/// document service like any update.
/// </summary>
public sealed class ReferenceHandlers(DocumentService documents, IOptions<ODataLimits> limits, TimeProvider clock)
{
    public Task HandleAsync(ODataRequest request, NavigationPropertyLinkSegment link)
    {
        var parent = request.Collection;
        var name = link.NavigationProperty.Name;
        var method = request.Http.Request.Method;
        if (parent.References.FirstOrDefault(r => r.Navigation == name) is { } forward)
        {
            return method switch
            {
                "GET" => ReadOneAsync(request, forward),
                "PUT" => SetAsync(request, parent, request.Key!, forward.Field, Catalog.Get(forward.Target), linked: null),
                "DELETE" => WriteFieldAsync(request, parent, request.Key!, forward.Field, null),
                _ => throw MethodNotAllowed(request),
            };
        }
        var (source, reference) = Catalog.ReferencesTo(parent).FirstOrDefault(r => r.Reference.ReverseNavigation == name);
        if (source is null)
        {
            throw ApiException.NotImplemented($"$ref of '{name}' is not served.");
        }
        return method switch
        {
            "GET" => ReadManyAsync(request, source, reference),
            "POST" => SetAsync(request, source, null, reference.Field, source, linked: request.Key),
            "DELETE" => UnlinkChildAsync(request, source, reference),
            _ => throw MethodNotAllowed(request),
        };
    }

    private async Task ReadOneAsync(ODataRequest request, ReferenceDefinition forward)
    {
        var ct = request.Http.RequestAborted;
        var stored = await documents.Store.ReadAsync(session => session.GetAsync(request.Collection, request.Key!, ct), ct)
            ?? throw DocumentService.NotFound(request.Collection, request.Key!);
        if (stored.Document[forward.Field] is not JsonValue value)
        {
            request.Http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        var target = Catalog.Get(forward.Target);
        await WriteAsync(request, writer =>
        {
            writer.WriteString("@odata.context", $"{request.ServiceRoot}$metadata#$ref");
            writer.WriteString("@odata.id", EntityResponses.EntityUrl(request.ServiceRoot, target, Key(target, value)));
        });
    }

    /// <summary>The ids of the children, paged like the children themselves (the request's $filter, $orderby, $top apply).</summary>
    private async Task ReadManyAsync(ODataRequest request, CollectionDefinition source, ReferenceDefinition reference)
    {
        var ct = request.Http.RequestAborted;
        if (await documents.Store.ReadAsync(session => session.GetAsync(request.Collection, request.Key!, ct), ct) is null)
        {
            throw DocumentService.NotFound(request.Collection, request.Key!);
        }
        var plan = QueryPlans.Compile(request, source, [sql => $"{QueryPlan.Alias}.{SqlDialect.Quote(reference.Field)} = {sql.Parameter(request.Key)}"],
            documents.Store.Dialect, limits.Value, clock);
        var pageSize = QueryExecutor.PageSize(plan, limits.Value);
        var page = new PageStatement(plan, pageSize);
        var keys = new List<object>();
        await using (var connection = await documents.Store.OpenAsync(ct))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = page.Sql;
            plan.Sql.Bind(command);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                keys.Add(page.Columns.Key(reader));
            }
        }
        var served = Math.Min(keys.Count, pageSize);
        await WriteAsync(request, writer =>
        {
            writer.WriteString("@odata.context", $"{request.ServiceRoot}$metadata#Collection($ref)");
            writer.WriteStartArray("value");
            foreach (var key in keys.Take(served))
            {
                writer.WriteStartObject();
                writer.WriteString("@odata.id", EntityResponses.EntityUrl(request.ServiceRoot, source, key));
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            var remaining = plan.Top is { } top ? top - served : (long?)null;
            if (keys.Count > pageSize && remaining is null or > 0)
            {
                var next = (plan.Skip + served).ToString(System.Globalization.CultureInfo.InvariantCulture);
                writer.WriteString("@odata.nextLink", QueryExecutor.Link(request.Http.Request, remaining, ("$skip", next)));
            }
        });
    }

    /// <summary>
    /// Links the entity named by the body's <c>@odata.id</c>: for a single-valued navigation the parent's field takes
    /// its key; for a collection the named child's field takes the parent's key (<paramref name="linked"/>).
    /// </summary>
    private async Task SetAsync(ODataRequest request, CollectionDefinition written, object? writtenKey, string field, CollectionDefinition expected, object? linked)
    {
        var body = await RequestBody.ReadObjectAsync(request.Http.Request);
        var id = body["@odata.id"] is JsonValue idValue && idValue.GetValueKind() == JsonValueKind.String
            ? idValue.GetValue<string>()
            : throw ApiException.BadRequest("The body of a $ref write is {\"@odata.id\": \"Collection(key)\"}.");
        var (collection, key) = EntityIds.Resolve(request.Parser.Model, request.ServiceRoot, id);
        if (collection != expected)
        {
            throw ApiException.BadRequest($"'{id}' is not in {expected.EntitySet}, which this navigation links.");
        }
        // Single-valued: the parent's field takes the named key. Collection: the named child's field takes the parent's key.
        await (linked is null
            ? WriteFieldAsync(request, written, writtenKey!, field, key)
            : WriteFieldAsync(request, written, key, field, linked));
    }

    private async Task UnlinkChildAsync(ODataRequest request, CollectionDefinition source, ReferenceDefinition reference)
    {
        var id = request.Http.Request.Query["$id"].ToString();
        if (id.Length == 0)
        {
            throw ApiException.BadRequest("Name the entity to unlink with ?$id=Collection(key).");
        }
        var (collection, key) = EntityIds.Resolve(request.Parser.Model, request.ServiceRoot, id);
        if (collection != source)
        {
            throw ApiException.BadRequest($"'{id}' is not in {source.EntitySet}, which this navigation links.");
        }
        var ct = request.Http.RequestAborted;
        var child = await documents.Store.ReadAsync(session => session.GetAsync(source, key, ct), ct) ?? throw DocumentService.NotFound(source, key);
        if (child.Document[reference.Field] is not JsonValue linked || !Equals(Key(request.Collection, linked), request.Key))
        {
            throw ApiException.NotFound($"{id} is not linked to {EntityResponses.EntityUrl(request.ServiceRoot, request.Collection, request.Key!)}.");
        }
        await WriteFieldAsync(request, source, key, reference.Field, null);
    }

    private async Task WriteFieldAsync(ODataRequest request, CollectionDefinition collection, object key, string field, object? value)
    {
        if (collection.ReadOnly)
        {
            throw new ApiException(405, "MethodNotAllowed", $"{collection.EntitySet} is written by the service and read-only here.");
        }
        var patch = new JsonObject { [field] = value is null ? null : JsonValue.Create(value) };
        var stored = await documents.PatchAsync(collection, key, patch, request.Http.Request.Headers.IfMatch.ToString(), request.Origin(), request.Http.RequestAborted);
        request.Http.Response.StatusCode = StatusCodes.Status204NoContent;
        request.Http.Response.Headers.ETag = stored.ETag;
    }

    private static async Task WriteAsync(ODataRequest request, Action<Utf8JsonWriter> body)
    {
        request.Http.Response.ContentType = ResponseFormat.DefaultContentType;
        await using var writer = new Utf8JsonWriter(request.Http.Response.Body, JsonOutput.Options);
        writer.WriteStartObject();
        body(writer);
        writer.WriteEndObject();
        await writer.FlushAsync(request.Http.RequestAborted);
    }

    private static object Key(CollectionDefinition collection, JsonValue value) =>
        collection.HasIntegerKey ? value.GetValue<long>() : value.GetValue<string>();

    private static ApiException MethodNotAllowed(ODataRequest request) =>
        new(405, "MethodNotAllowed", $"{request.Http.Request.Method} is not allowed on {request.Http.Request.Path}.");
}
