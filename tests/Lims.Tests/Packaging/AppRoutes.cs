using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Lims.Tests.Packaging;

/// <summary>The routes the running app has mapped, from its endpoint data source.</summary>
public static class AppRoutes
{
    public static bool HasGet(IServiceProvider services, string path) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Any(e =>
            string.Equals("/" + e.RoutePattern.RawText?.TrimStart('/'), path, StringComparison.OrdinalIgnoreCase) &&
            e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") == true);
}
