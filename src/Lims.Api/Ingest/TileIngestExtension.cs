using System.Text.Json;
using Lims.Collections.Definitions;
using Lims.Errors;
using Lims.OData;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace Lims.Ingest;

/// <summary>
/// Serves <c>POST /odata/Acquisitions('A1')/tiles</c> (a JSON array or NDJSON of tiles; <c>?mode=upsert</c> replaces
/// tiles stored with other content). Everything else on that navigation is left to the document handlers.
/// </summary>
public sealed class TileIngestExtension(TileIngestService ingest, IOptions<IngestOptions> options) : IODataExtension
{
    public void ExtendModel(EdmModel model, EdmEntityContainer container)
    {
    }

    public async Task<bool> TryHandleAsync(ODataRequest request)
    {
        var segments = request.Path.ToList();
        if (!HttpMethods.IsPost(request.Http.Request.Method) || request.Collection != Acquisitions.Definition || segments.Count != 3
            || segments[1] is not KeySegment || segments[2] is not NavigationPropertySegment { NavigationProperty.Name: "tiles" })
        {
            return false;
        }
        var mode = request.Http.Request.Query["mode"].ToString();
        if (mode is not ("" or "insert" or "upsert"))
        {
            throw ApiException.BadRequest($"mode must be 'insert' (the default) or 'upsert', not '{mode}'.", [new("InvalidValue", "mode", "Use mode=insert or mode=upsert.")]);
        }
        var http = request.Http;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.Value.MaxRequestBytes;
        }
        var ct = http.RequestAborted;
        var tiles = TileStreamReader.ReadAsync(http.Request.Body, http.Request.ContentType, ct);
        var result = await ingest.IngestAsync((string)request.Key!, tiles, mode == "upsert", request.Origin(Documents.WriteSource.Ingest), ct);

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(http.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("acquisition_id", result.AcquisitionId);
        writer.WriteNumber("received", result.Received);
        writer.WriteNumber("inserted", result.Inserted);
        writer.WriteNumber("skipped_existing", result.SkippedExisting);
        if (result.Updated is { } updated)
        {
            writer.WriteNumber("updated", updated);
        }
        writer.WriteEndObject();
        await writer.FlushAsync(ct);
        return true;
    }
}
