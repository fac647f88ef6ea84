using System.Diagnostics;

namespace Lims.Api;

/// <summary>
/// One log line per request (method, path, status, elapsed ms, correlation id). The correlation id comes from
/// <c>X-Correlation-Id</c> or is generated, is echoed back, and scopes every log line of the request.
/// </summary>
public static class RequestLogging
{
    public const string Header = "X-Correlation-Id";

    public static IApplicationBuilder UseLimsRequestLogging(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Lims.Requests");
        return app.Use(async (context, next) =>
        {
            var supplied = context.Request.Headers[Header].ToString();
            var correlationId = supplied is { Length: > 0 and <= 128 } ? supplied : Guid.NewGuid().ToString("N");
            context.TraceIdentifier = correlationId;
            // Set as the response starts: an error handler that clears the response must not lose it.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[Header] = correlationId;
                return Task.CompletedTask;
            });
            var started = Stopwatch.GetTimestamp();
            using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = correlationId }))
            {
                try
                {
                    await next(context);
                }
                finally
                {
                    logger.LogInformation("{Method} {Path} {Status} {ElapsedMs:0.0} ms {CorrelationId}",
                        context.Request.Method, context.Request.Path.Value, context.Response.StatusCode,
                        Stopwatch.GetElapsedTime(started).TotalMilliseconds, correlationId);
                }
            }
        });
    }
}
