using System.Text.Json;
using System.Text.Json.Nodes;
using Lims.Documents;
using Lims.Errors;
using Lims.OData;
using Lims.Storage;
using Microsoft.OData.UriParser;

namespace Lims.Api;

/// <summary><c>Specimens('S1')/description/$value</c>: a primitive property's raw value as <c>text/plain</c>.</summary>
public static class RawValues
{
    public static async Task WriteAsync(ODataRequest request, DocumentStore store, PropertySegment segment)
    {
        var ct = request.Http.RequestAborted;
        var stored = await store.ReadAsync(session => session.GetAsync(request.Collection, request.Key!, ct), ct)
            ?? throw DocumentService.NotFound(request.Collection, request.Key!);
        var value = stored.Document[segment.Property.Name];
        if (value is null)
        {
            request.Http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        if (value is not JsonValue primitive)
        {
            throw ApiException.BadRequest($"$value is served for primitive properties; '{segment.Property.Name}' is structured: read it without /$value.");
        }
        request.Http.Response.ContentType = "text/plain; charset=utf-8";
        request.Http.Response.Headers.ETag = stored.ETag;
        var text = primitive.GetValueKind() == JsonValueKind.String ? primitive.GetValue<string>() : primitive.ToJsonString();
        await request.Http.Response.WriteAsync(text, ct);
    }
}
