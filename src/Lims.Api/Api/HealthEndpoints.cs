using Lims.Storage;

namespace Lims.Api;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapLimsHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => Results.Ok(new { status = "alive" })).WithTags("Health").WithSummary("The process is up.");
        app.MapGet("/health/ready", async (DocumentStore store, CancellationToken ct) =>
                await store.IsReachableAsync(ct)
                    ? Results.Ok(new { status = "ready", store = store.Dialect.Name })
                    : Results.Json(new { status = "unavailable", store = store.Dialect.Name }, statusCode: 503))
            .WithTags("Health").WithSummary("The store is reachable.");
        return app;
    }
}
