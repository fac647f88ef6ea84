using Microsoft.AspNetCore.Authorization;

namespace Lims.Auth;

/// <summary>
/// Named authorization policies for routes outside the generic OData route (<c>/jobs</c>, <c>/quality/...</c>):
/// <c>app.MapGet(...).RequireAuthorization(LimsPolicies.Viewer)</c>. They mirror the roles of <see cref="AccessPolicy"/>.
/// </summary>
public static class LimsPolicies
{
    public const string Viewer = "viewer";
    public const string Instrument = "instrument";
    public const string Technician = "technician";
    public const string Admin = "admin";

    internal static void Add(AuthorizationOptions options)
    {
        Add(options, Viewer, RoleSet.Anyone);
        Add(options, Instrument, RoleSet.Instrument | RoleSet.Admin);
        Add(options, Technician, RoleSet.Technician | RoleSet.Admin);
        Add(options, Admin, RoleSet.Admin);
    }

    private static void Add(AuthorizationOptions options, string name, RoleSet roles) =>
        options.AddPolicy(name, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireRole(Roles.Names(roles)));
}
