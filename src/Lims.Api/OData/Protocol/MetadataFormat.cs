using Lims.Errors;
using Microsoft.Net.Http.Headers;

namespace Lims.OData.Protocol;

/// <summary>
/// <c>$metadata</c> is XML unless JSON is asked for explicitly: <c>$format=json</c>, or an Accept that admits
/// JSON but no XML. Clients sending <c>application/json, text/plain, */*</c> (odata2ts) expect XML.
/// </summary>
public static class MetadataFormat
{
    public static bool WantsJson(HttpRequest request)
    {
        var format = request.Query["$format"].ToString();
        if (format.Length > 0)
        {
            return Named(format) ?? throw NotAcceptable($"$format={format}");
        }
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var ranges) || ranges.Count == 0)
        {
            return false;
        }
        var admitted = ranges.Where(r => r.Quality is not 0).ToList();
        if (admitted.Any(AdmitsXml))
        {
            return false;
        }
        return admitted.Any(r => r.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            ? true
            : throw NotAcceptable($"Accept: {request.Headers.Accept}");
    }

    private static bool? Named(string format) => format.ToLowerInvariant().Split(';')[0].Trim() switch
    {
        "json" or "application/json" => true,
        "xml" or "application/xml" => false,
        _ => null,
    };

    private static bool AdmitsXml(MediaTypeHeaderValue range) =>
        range.MatchesAllTypes
        || range.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase)
        || range.MediaType.Equals("application/xml", StringComparison.OrdinalIgnoreCase)
        || range.MediaType.Equals("text/xml", StringComparison.OrdinalIgnoreCase);

    private static ApiException NotAcceptable(string asked) =>
        new(406, "NotAcceptable", $"{asked}: $metadata is served as application/xml or application/json.");
}
