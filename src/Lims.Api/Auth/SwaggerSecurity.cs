using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Lims.Auth;

/// <summary>Declares the API key in the OpenAPI document, so Swagger UI's Authorize button lets a user enter one.</summary>
public static class SwaggerSecurity
{
    private const string Scheme = "ApiKey";

    public static void Configure(SwaggerGenOptions options)
    {
        options.AddSecurityDefinition(Scheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            Description = "An API key (admins create them with POST /odata/ApiKeys or 'keys create'). Also accepted as Authorization: Bearer <key>.",
        });
        options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(Scheme, document)] = [],
        });
    }
}
