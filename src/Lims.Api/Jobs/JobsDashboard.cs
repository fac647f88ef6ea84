using System.Security.Claims;
using Hangfire;
using Hangfire.Dashboard;
using Lims.Auth;
using Microsoft.AspNetCore.Authentication;

namespace Lims.Jobs;

/// <summary>
/// Hangfire's dashboard at <c>/hangfire</c>, behind the API key like every other route: no key is a 401 (the auth gate),
/// an admin may do everything, any other role only look (a write is a 403 before it reaches Hangfire). A browser
/// cannot send a header on a link, so the jobs page posts the key once to <c>/jobs/dashboard-session</c>, which sets it
/// as a cookie that only <c>/hangfire</c> reads (<see cref="ApiKeyAuthenticationHandler.KeyOf"/>).
/// </summary>
public static class JobsDashboard
{
    public const string Path = "/hangfire";
    public const string SessionPath = "/jobs/dashboard-session";

    public static WebApplication UseLimsJobsDashboard(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), branch => branch.Use(async (context, next) =>
        {
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !IsAdmin(context.User))
            {
                await context.ForbidAsync(ApiKeyAuthenticationHandler.SchemeName);
                return;
            }
            await next(context);
        }));
        JobDispatcher dispatcher;
        JobStorage storage;
        try
        {
            dispatcher = app.Services.GetRequiredService<JobDispatcher>();
            storage = app.Services.GetRequiredService<JobStorage>();
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException)
        {
            // Invalid settings: the start-up check reports them and stops the process; no dashboard to map.
            return app;
        }
        app.UseHangfireDashboard(Path, new DashboardOptions
        {
            Authorization = [new KeyedUserFilter()],
            IsReadOnlyFunc = context => !IsAdmin(context.GetHttpContext().User),
            DisplayNameFunc = (_, job) => dispatcher.Describe(job),
            DashboardTitle = "Lims jobs",
            AppPath = "/app/jobs",
            // Queues, retries and servers change by the second: the dashboard's own live refresh is what operators expect.
            StatsPollingInterval = 5000,
        }, storage);

        app.MapPost(SessionPath, (HttpContext context) =>
        {
            context.Response.Cookies.Append(ApiKeyAuthenticationHandler.DashboardCookie, ApiKeyAuthenticationHandler.KeyOf(context.Request) ?? "", new CookieOptions
            {
                Path = Path,
                HttpOnly = true,
                Secure = context.Request.IsHttps,
                // Never sent by another site's page: a cookie that authenticates must not ride along a cross-site form.
                SameSite = SameSiteMode.Strict,
                IsEssential = true,
            });
            return Results.NoContent();
        }).RequireAuthorization(LimsPolicies.Viewer).WithTags("Jobs").WithSummary("Lets this browser open the Hangfire dashboard")
            .WithDescription($"Sets the request's API key as an HttpOnly, SameSite=Strict cookie read only under {Path}. DELETE removes it.");
        app.MapDelete(SessionPath, (HttpContext context) =>
        {
            context.Response.Cookies.Delete(ApiKeyAuthenticationHandler.DashboardCookie, new CookieOptions { Path = Path });
            return Results.NoContent();
        }).RequireAuthorization(LimsPolicies.Viewer).WithTags("Jobs").WithSummary("Ends this browser's dashboard session");
        return app;
    }

    private static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(Roles.Admin);

    /// <summary>Every authenticated key may look; the auth gate has already answered 401 to a request without one.</summary>
    private sealed class KeyedUserFilter : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.Identity?.IsAuthenticated == true;
    }
}
