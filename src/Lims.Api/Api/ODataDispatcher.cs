using Lims.Collections;
using Lims.Errors;
using Lims.OData;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace Lims.Api;

/// <summary>
/// Parses every <c>/odata/...</c> request with the OData URI parser, offers it to the extensions (actions,
/// ingest), and otherwise serves it with the generic document handlers. One route serves all collections.
/// </summary>
public sealed class ODataDispatcher(
    IEdmModel model, IEnumerable<IODataExtension> extensions, DocumentHandlers documents, IEnumerable<IRequestAuthorizer> authorizers)
{
    public async Task HandleAsync(HttpContext http)
    {
        var serviceRoot = ODataUriFactory.ServiceRoot(http.Request);
        // The raw target keeps the client's own escaping (a %2F inside a key); test servers leave it empty.
        var rawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw ? raw : http.Request.GetEncodedPathAndQuery();
        var requestUri = http.Request.Path.Equals("/odata/$entity", StringComparison.OrdinalIgnoreCase)
            ? EntityTarget(http, serviceRoot)
            : new Uri($"{http.Request.Scheme}://{http.Request.Host}{rawTarget}");
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
        var key = segments.ElementAtOrDefault(1) is KeySegment keySegment ? EntityIds.KeyValue(collection, keySegment) : null;
        var request = new ODataRequest(http, parser, path, collection, key, http.User.Identity?.Name ?? "anonymous");
        foreach (var authorizer in authorizers)
        {
            await authorizer.AuthorizeAsync(request);
        }

        foreach (var extension in extensions)
        {
            if (await extension.TryHandleAsync(request))
            {
                return;
            }
        }
        await documents.HandleAsync(request, segments);
    }

    /// <summary><c>/$entity?$id=Specimens('S1')&amp;$select=...</c>: the entity's own URL with the other query options.</summary>
    private static Uri EntityTarget(HttpContext http, Uri serviceRoot)
    {
        var id = http.Request.Query["$id"].ToString();
        if (id.Length == 0 || !Uri.TryCreate(serviceRoot, id, out var entity) || !entity.AbsoluteUri.StartsWith(serviceRoot.AbsoluteUri, StringComparison.OrdinalIgnoreCase))
        {
            throw ApiException.BadRequest("/$entity needs $id naming an entity of this service, such as $id=Specimens('S1').");
        }
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            throw new ApiException(405, "MethodNotAllowed", "/$entity is read with GET.");
        }
        var options = http.Request.Query.Where(o => !o.Key.Equals("$id", StringComparison.OrdinalIgnoreCase))
            .SelectMany(o => o.Value.Select(v => new KeyValuePair<string, string?>(o.Key, v)));
        return new Uri(QueryHelpers.AddQueryString(entity.GetLeftPart(UriPartial.Path), options));
    }
}
