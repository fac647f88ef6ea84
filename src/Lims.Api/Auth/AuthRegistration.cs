using Lims.Audit;
using Lims.Cli;
using Lims.Limits;
using Lims.OData;
using Lims.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Lims.Auth;

public static class AuthRegistration
{
    /// <summary>
    /// API keys and roles, the audit trail and the input limits. Call after the store initializer is registered:
    /// the bootstrap key is written once the store is migrated. The audit hook is registered here, after the
    /// capabilities registered earlier, so it records documents as they are finally stored.
    /// </summary>
    public static IServiceCollection AddLimsAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpContextAccessor();

        services.AddSingleton<ApiKeyService>();
        services.AddSingleton(provider => new OpenPaths(provider.GetRequiredService<IOptions<AuthOptions>>().Value.OpenPaths));
        services.AddSingleton<ISchemaContributor, ApiKeyHashesTable>();
        services.AddSingleton<IRequestAuthorizer, PolicyRequestAuthorizer>();
        services.AddSingleton<IODataExtension, ApiKeysExtension>();
        services.AddSingleton<ICliCommand, KeysCommand>();
        services.AddHostedService<AuthInitializer>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, configureOptions: null);
        services.AddAuthorization(LimsPolicies.Add);
        services.ConfigureSwaggerGen(SwaggerSecurity.Configure);

        services.AddLimsRateLimiting();

        services.AddSingleton<IAuditTrail, AuditTrail>();
        return services;
    }

    /// <summary>Body size limits, key authentication, rate limits, the 401 gate and endpoint policies, in that order.</summary>
    public static WebApplication UseLimsAuth(this WebApplication app)
    {
        app.UseLimsBodySizeLimits();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseLimsAuthGate(app.Services.GetRequiredService<OpenPaths>());
        app.UseAuthorization();
        return app;
    }
}
