using Lims.Errors;
using Microsoft.Net.Http.Headers;

namespace Lims.OData.Protocol;

public enum MetadataLevel { Minimal, None, Full }

/// <summary>
/// The JSON shape a request asked for, from <c>$format</c> or else <c>Accept</c>: the metadata level
/// (<c>odata.metadata=none|minimal</c>; with none the body may still carry the control information, which the
/// format allows). A request that admits no JSON Lims writes (Atom, full metadata, IEEE754Compatible=true) answers 406.
/// </summary>
public sealed record ResponseFormat(MetadataLevel Metadata, bool Ieee754Compatible)
{
    public static readonly ResponseFormat Minimal = new(MetadataLevel.Minimal, false);

    /// <summary>The content type every JSON writer starts from; the protocol middleware rewrites it to the negotiated one.</summary>
    public const string DefaultContentType = "application/json; odata.metadata=minimal; charset=utf-8";

    public string ContentType =>
        $"application/json; odata.metadata={Metadata.ToString().ToLowerInvariant()}; odata.streaming=true" +
        (Ieee754Compatible ? "; IEEE754Compatible=true" : "") + "; charset=utf-8";

    /// <summary>The format negotiated for this request (minimal when nothing was negotiated).</summary>
    public static ResponseFormat Of(HttpContext http) => http.Items[typeof(ResponseFormat)] as ResponseFormat ?? Minimal;

    public static void Set(HttpContext http, ResponseFormat format) => http.Items[typeof(ResponseFormat)] = format;

    public static ResponseFormat Negotiate(HttpRequest request)
    {
        var format = request.Query["$format"].ToString();
        if (format.Length > 0)
        {
            var asked = format.Equals("json", StringComparison.OrdinalIgnoreCase) ? "application/json" : format;
            if (MediaTypeHeaderValue.TryParse(asked, out var type) && IsJson(type))
            {
                return From(type) ?? throw NotAcceptable($"$format={format}");
            }
            throw NotAcceptable($"$format={format}");
        }
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var ranges) || ranges.Count == 0)
        {
            return request.Headers.Accept.Count == 0 || string.IsNullOrWhiteSpace(request.Headers.Accept.ToString())
                ? Minimal
                : throw NotAcceptable($"Accept: {request.Headers.Accept}");
        }
        foreach (var range in ranges.Where(r => r.Quality is not 0).OrderByDescending(r => r.Quality ?? 1))
        {
            if (IsJson(range) || range.MatchesAllTypes || range.MatchesAllSubTypes && range.Type.Equals("application", StringComparison.OrdinalIgnoreCase))
            {
                if (From(range) is { } found)
                {
                    return found;
                }
            }
        }
        throw NotAcceptable($"Accept: {request.Headers.Accept}");
    }

    private static bool IsJson(MediaTypeHeaderValue type) => type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The format a JSON media type names; null when a parameter asks for something Lims does not write.</summary>
    private static ResponseFormat? From(MediaTypeHeaderValue type)
    {
        var metadata = MetadataLevel.Minimal;
        var ieee754 = false;
        foreach (var parameter in type.Parameters)
        {
            var name = parameter.Name.Value ?? "";
            var value = HeaderUtilities.RemoveQuotes(parameter.Value).Value ?? "";
            if (name.Equals("odata.metadata", StringComparison.OrdinalIgnoreCase) || name.Equals("metadata", StringComparison.OrdinalIgnoreCase))
            {
                if (!Enum.TryParse(value, ignoreCase: true, out metadata) || int.TryParse(value, out _))
                {
                    return null;
                }
            }
            else if (name.Equals("IEEE754Compatible", StringComparison.OrdinalIgnoreCase))
            {
                if (!bool.TryParse(value, out ieee754))
                {
                    return null;
                }
            }
        }
        // Full metadata (type annotations, ids, edit links) and Int64/Decimal as strings are not written yet:
        // answering 406 is honest where a body of another shape would not be.
        return metadata == MetadataLevel.Full || ieee754 ? null : new ResponseFormat(metadata, ieee754);
    }

    private static ApiException NotAcceptable(string asked) =>
        new(406, "NotAcceptable", $"{asked} asks for a format Lims does not write; it answers application/json with odata.metadata=minimal, none or full (and IEEE754Compatible=true), and $metadata as XML or JSON.");
}
