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
        options.DocumentFilter<OpenRoutesFilter>();
    }

    /// <summary>
    /// The requirement above is document-wide; the GETs anyone may make (health, <c>$metadata</c>, ...) get an empty
    /// one of their own, so Swagger UI shows no padlock on them.
    /// </summary>
    private sealed class OpenRoutesFilter(OpenPaths open) : IDocumentFilter
    {
        public void Apply(OpenApiDocument document, DocumentFilterContext context)
        {
            foreach (var (path, item) in document.Paths)
            {
                if (!open.IsOpen(path) || item.Operations is null)
                {
                    continue;
                }
                foreach (var (method, operation) in item.Operations)
                {
                    if (method == HttpMethod.Get || method == HttpMethod.Head)
                    {
                        operation.Security = [];
                    }
                }
            }
        }
    }
}
