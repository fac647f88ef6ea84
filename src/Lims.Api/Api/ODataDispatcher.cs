using Lims.Collections;
using Lims.Errors;
using Lims.OData;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace Lims.Api;

/// <summary>
/// Parses every <c>/odata/...</c> request with the OData URI parser, offers it to the extensions (actions,
/// ingest), and otherwise serves it with the generic document handlers. One route serves all collections.
/// </summary>
public sealed class ODataDispatcher(IEdmModel model, IEnumerable<IODataExtension> extensions, DocumentHandlers documents)
{
    public async Task HandleAsync(HttpContext http)
    {
        var serviceRoot = ODataUriFactory.ServiceRoot(http.Request);
        // The raw target keeps the client's escaping; the test server leaves it without the path, so fall back then.
        var rawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget is { } raw && raw.StartsWith("/odata", StringComparison.OrdinalIgnoreCase)
            ? raw
            : http.Request.PathBase + http.Request.Path + http.Request.QueryString;
        var requestUri = new Uri($"{http.Request.Scheme}://{http.Request.Host}{rawTarget}");
        var parser = ODataUriFactory.Create(model, serviceRoot, requestUri);
        ODataPath path;
        try
        {
            path = parser.ParsePath();
        }
        catch (ODataUnrecognizedPathException e)
        {
            throw ApiException.NotFound(e.Message);
        }

        var segments = path.ToList();
        if (segments.FirstOrDefault() is not EntitySetSegment set || Catalog.Find(set.EntitySet.Name) is not { } collection)
        {
            throw ApiException.NotFound($"No entity set at {http.Request.Path}.");
        }
        var key = segments.ElementAtOrDefault(1) is KeySegment keySegment ? KeyValue(collection, keySegment) : null;
        var request = new ODataRequest(http, parser, path, collection, key, http.User.Identity?.Name ?? "anonymous");

        foreach (var extension in extensions)
        {
            if (await extension.TryHandleAsync(request))
            {
                return;
            }
        }
        await documents.HandleAsync(request, segments);
    }

    private static object KeyValue(CollectionDefinition collection, KeySegment segment)
    {
        var value = segment.Keys.Single().Value;
        return collection.HasIntegerKey ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : (string)value;
    }
}
