using Microsoft.AspNetCore.Authentication;

namespace Lims.Auth;

/// <summary>Answers 401 to every request without a valid key, except GETs of open paths; roles are checked later, per route.</summary>
public static class AuthGate
{
    public static IApplicationBuilder UseLimsAuthGate(this IApplicationBuilder app, OpenPaths open) => app.Use(async (context, next) =>
    {
        if (context.User.Identity?.IsAuthenticated == true || open.IsOpen(context.Request))
        {
            await next(context);
            return;
        }
        await context.ChallengeAsync(ApiKeyAuthenticationHandler.SchemeName);
    });
}
