using System.Text.RegularExpressions;
using Lims.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Lims.Limits;

/// <summary>
/// Caps every request body: <see cref="LimitsOptions.MaxBodyBytes"/>, or <see cref="LimitsOptions.MaxIngestBodyBytes"/> for
/// tile ingest. A declared Content-Length over the cap is refused at once; a chunked body fails with 413 when it crosses it.
/// </summary>
public static partial class BodySizeLimits
{
    public static IApplicationBuilder UseLimsBodySizeLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var options = context.RequestServices.GetRequiredService<IOptions<LimitsOptions>>().Value;
        var ingest = IsIngest(context.Request.Method, context.Request.Path.Value ?? "");
        var limit = ingest ? options.MaxIngestBodyBytes : options.MaxBodyBytes;
        var setting = ingest ? "Limits:MaxIngestBodyBytes" : "Limits:MaxBodyBytes";
        if (context.Request.ContentLength > limit)
        {
            throw TooLarge(limit, setting);
        }
        // Kestrel enforces the limit itself (and needs raising above its 30 MB default for ingest); hosts without the
        // feature (the test server) get a counting stream instead.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        else
        {
            context.Request.Body = new LimitedReadStream(context.Request.Body, limit, setting);
        }
        await next(context);
    });

    /// <summary>Whether a request is a tile ingest batch or a package import, which may be far larger than any other body.</summary>
    public static bool IsIngest(string method, string path) => HttpMethods.IsPost(method) && IngestPath().IsMatch(path);

    internal static ApiException TooLarge(long limit, string setting) =>
        new(413, "PayloadTooLarge", $"The request body is larger than {limit} bytes ({setting}).");

    [GeneratedRegex(@"^(/odata/Acquisitions\([^/]+\)/tiles|/import)/?$", RegexOptions.IgnoreCase)]
    private static partial Regex IngestPath();
}
