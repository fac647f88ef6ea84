namespace Lims.OData.Protocol;

/// <summary>
/// What every <c>/odata</c> response carries whichever handler wrote it, errors and 204s included:
/// <c>OData-Version</c>, and the content type of the negotiated <see cref="ResponseFormat"/>. Set when the
/// response starts, so that an error handler clearing the response cannot lose them.
/// </summary>
public static class ODataProtocol
{
    public const string Version = "4.0";
    public const string VersionHeader = "OData-Version";

    public static IApplicationBuilder UseLimsODataProtocol(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!context.Request.Path.StartsWithSegments("/odata", out var rest))
        {
            await next(context);
            return;
        }
        context.Response.OnStarting(() =>
        {
            var response = context.Response;
            if (!response.Headers.ContainsKey(VersionHeader))
            {
                response.Headers[VersionHeader] = Version;
            }
            if (response.ContentType == ResponseFormat.DefaultContentType)
            {
                response.ContentType = ResponseFormat.Of(context).ContentType;
            }
            return Task.CompletedTask;
        });
        if (NegotiatesJson(rest))
        {
            ResponseFormat.Set(context, ResponseFormat.Negotiate(context.Request));
        }
        await next(context);
    });

    /// <summary>Raw values, counts, the metadata document and batches have formats of their own.</summary>
    private static bool NegotiatesJson(PathString rest)
    {
        var path = rest.Value ?? "";
        return !(path.EndsWith("/$count", StringComparison.Ordinal) || path.EndsWith("/$value", StringComparison.Ordinal)
                 || path is "/$metadata" or "/$batch");
    }
}
