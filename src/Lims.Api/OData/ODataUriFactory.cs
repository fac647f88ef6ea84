using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace Lims.OData;

/// <summary>Creates the per-request URI parser with the conventions Lims accepts (4.01 case-insensitive names, options without $).</summary>
public static class ODataUriFactory
{
    public static ODataUriParser Create(IEdmModel model, Uri serviceRoot, Uri requestUri) =>
        new(model, serviceRoot, Protocol.SearchWordRewriter.Rewrite(Query.DivByRewriter.Rewrite(requestUri)))
        {
            Resolver = new ODataUriResolver { EnableCaseInsensitive = true, EnableNoDollarQueryOptions = true },
            Settings = { MaximumExpansionDepth = 6, MaximumExpansionCount = 50 },
        };

    /// <summary>The service root of a request: scheme, host and path base, ending in <c>/odata/</c>.</summary>
    public static Uri ServiceRoot(HttpRequest request) =>
        new($"{request.Scheme}://{request.Host}{request.PathBase}/odata/");
}
