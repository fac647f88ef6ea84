using System.Text.Json;
using Lims.Errors;
using Microsoft.OData;

namespace Lims.Api;

/// <summary>Maps every failure to an OData error body with the right status; nothing leaks a stack trace.</summary>
public static class ErrorHandling
{
    public static IApplicationBuilder UseLimsErrors(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
            if (context.Response is { StatusCode: >= 400, HasStarted: false, ContentLength: null, ContentType: null })
            {
                // A failure answered without a body (no route matched, method not allowed): give it the OData error body too.
                await ODataErrorWriter.WriteAsync(context.Response, context.Response.StatusCode, EmptyFailureCode(context.Response.StatusCode),
                    $"{context.Request.Method} {context.Request.Path} answered {context.Response.StatusCode}.", []);
            }
        }
        catch (Exception exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var (status, code, message, details) = Describe(exception);
            if (status == 501)
            {
                // Valid OData that Lims does not serve is the client's news, not a fault of the service.
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Lims.Errors")
                    .LogInformation("Not implemented on {Method} {Path}: {Message}", context.Request.Method, context.Request.Path, message);
            }
            else if (status >= 500)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Lims.Errors")
                    .LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            }
            context.Response.Clear();
            if (status == StatusCodes.Status503ServiceUnavailable)
            {
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            await ODataErrorWriter.WriteAsync(context.Response, status, code, message, details);
        }
    });

    /// <summary>How long a client should wait before retrying while the store is unreachable (a restart takes seconds).</summary>
    public const int RetryAfterSeconds = 2;

    private static string EmptyFailureCode(int status) => status switch
    {
        404 => "NotFound",
        405 => "MethodNotAllowed",
        _ => "Error",
    };

    public static (int Status, string Code, string Message, IReadOnlyList<ErrorDetail> Details) Describe(Exception exception) => exception switch
    {
        ApiException api => (api.Status, api.Code, api.Message, api.Details),
        ODataException odata => (400, "BadRequest", odata.Message, []),
        // The URI parser's own argument checks fail on some malformed input (cast(x,1)) instead of raising an ODataException.
        ArgumentException { Source: "Microsoft.OData.Core" } argument => (400, "BadRequest", $"The query could not be parsed: {argument.Message}", []),
        JsonException json => (400, "MalformedJson", $"The body is not valid JSON: {json.Message}", []),
        BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == 413 ? "PayloadTooLarge" : "BadRequest", bad.Message, []),
        InvalidOperationException { InnerException: JsonException json } => (400, "MalformedJson", $"The body is not valid JSON: {json.Message}", []),
        // System.Text.Json checks UTF-8 inside strings only when it reads them, after parsing succeeded.
        InvalidOperationException { InnerException: System.Text.DecoderFallbackException } or System.Text.DecoderFallbackException =>
            (400, "InvalidUtf8", "The body is not valid UTF-8.", []),
        // PostgreSQL cannot hold some text (U+0000) even as a query parameter; SQLite can. Either way it is the input's fault.
        System.Data.Common.DbException { SqlState: "22021" or "22P05" } =>
            (400, "InvalidText", "A value holds a character the database cannot store (such as U+0000).", []),
        // The database is down, restarting or out of connections: the client may retry, and the service recovers by itself.
        _ when StoreUnavailable.Is(exception) =>
            (503, "StoreUnavailable", "The database cannot be reached right now; retry after the Retry-After seconds.", []),
        // The query visitor's default for node kinds it does not translate (function calls, lambdas...).
        NotImplementedException => (501, "NotImplemented", "The request uses OData that Lims does not serve.", []),
        _ => (500, "InternalError", "The server failed to handle the request; the error is logged with the request's correlation id.", []),
    };
}
