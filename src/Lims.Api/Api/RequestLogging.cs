using Serilog;
using Serilog.Context;
using Serilog.Events;

namespace Lims.Api;

/// <summary>
/// One log line per request, written by Serilog's request logging (method, path, status, elapsed ms) with the
/// correlation id and the API key's name. The correlation id comes from <c>X-Correlation-Id</c> or is generated,
/// is echoed back, and is a property of every log line of the request.
/// </summary>
public static class RequestLogging
{
    public const string Header = "X-Correlation-Id";
    private const int MaxSuppliedLength = 128;

    public static IApplicationBuilder UseLimsRequestLogging(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            var supplied = context.Request.Headers[Header].ToString();
            var correlationId = supplied is { Length: > 0 and <= MaxSuppliedLength } ? supplied : Guid.NewGuid().ToString("N");
            context.TraceIdentifier = correlationId;
            // Set as the response starts: an error handler that clears the response must not lose it.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[Header] = correlationId;
                return Task.CompletedTask;
            });
            using (LogContext.PushProperty("CorrelationId", correlationId))
            {
                await next(context);
            }
        });
        // Lines come from the source Serilog.AspNetCore.RequestLoggingMiddleware (its level can be overridden by that name).
        return app.UseSerilogRequestLogging(options =>
        {
            options.MessageTemplate = "{RequestMethod} {RequestPath} {StatusCode} {Elapsed:0.0} ms {CorrelationId} {KeyName}";
            options.GetLevel = (context, _, exception) =>
                exception is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error : LogEventLevel.Information;
            // Read when the request ends, so authentication (later in the pipeline) has named the key by then.
            options.EnrichDiagnosticContext = (diagnostics, context) =>
            {
                diagnostics.Set("CorrelationId", context.TraceIdentifier);
                diagnostics.Set("KeyName", context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : "-");
            };
        });
    }
}
