using System.Security.Claims;
using System.Text.Encodings.Web;
using Lims.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Lims.Auth;

/// <summary>
/// Authenticates a request by the API key in <c>X-Api-Key</c> or <c>Authorization: Bearer</c>. The identity's
/// name is the key's name (the actor of every write), its role claim the key's role. Under the jobs dashboard
/// (<c>/hangfire</c>), which a browser opens as a page, the key may also come from the cookie the jobs page sets.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyService keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string DashboardCookie = "lims_dashboard_key";
    public const string MissingKeyMessage = "This request needs an API key: send it in the X-Api-Key header or as Authorization: Bearer <key>.";
    public const string InvalidKeyMessage = "The API key is not valid, or has been revoked.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (KeyOf(Request) is not { } key)
        {
            return AuthenticateResult.NoResult();
        }
        if (await keys.FindAsync(key, Context.RequestAborted) is not { } identity)
        {
            return AuthenticateResult.Fail(InvalidKeyMessage);
        }
        var claims = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, identity.Name), new Claim(ClaimTypes.Role, identity.Role)], SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(claims), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\", Bearer";
        await ODataErrorWriter.WriteAsync(Response, StatusCodes.Status401Unauthorized, "Unauthorized",
            result.Failure is null ? MissingKeyMessage : InvalidKeyMessage, []);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await ODataErrorWriter.WriteAsync(Response, StatusCodes.Status403Forbidden, "Forbidden",
            $"The key '{Context.User.Identity?.Name}' (role '{Context.User.FindFirst(ClaimTypes.Role)?.Value}') may not {Request.Method} {Request.Path}.", []);

    /// <summary>The key a request carries, or null. An empty header counts as none.</summary>
    public static string? KeyOf(HttpRequest request)
    {
        if (request.Headers[HeaderName].ToString() is { Length: > 0 } header)
        {
            return header.Trim();
        }
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization[7..].Trim() is { Length: > 0 } bearer)
        {
            return bearer;
        }
        // Only the dashboard reads the cookie: anywhere else a cookie would let another page's form write with the key.
        return request.Path.StartsWithSegments(Jobs.JobsDashboard.Path) && request.Cookies[DashboardCookie] is { Length: > 0 } cookie ? cookie.Trim() : null;
    }
}
