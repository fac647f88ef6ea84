using System.Security.Claims;

namespace Lims.Auth;

public static class WhoAmIEndpoint
{
    /// <summary>
    /// <c>GET /auth/me</c>: the name and role of the calling key, so that the web pages show only the actions the
    /// person's role may take (the server still enforces every rule).
    /// </summary>
    public static IEndpointRouteBuilder MapLimsAuth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/auth/me", (ClaimsPrincipal user) => Results.Ok(new
        {
            name = user.Identity?.Name,
            role = user.FindFirst(ClaimTypes.Role)?.Value,
        }))
            .RequireAuthorization(LimsPolicies.Viewer)
            .WithTags("Auth")
            .WithSummary("The name and role of the API key sent with the request.");
        return app;
    }
}
