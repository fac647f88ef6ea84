using System.Globalization;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.Swagger;

namespace Lims.Api;

/// <summary>The OpenAPI document the service serves at /swagger/v1/swagger.json, as stable text to commit (openapi/lims.json).</summary>
public static class OpenApiJson
{
    public const string DocumentName = "v1";

    /// <summary>The regeneration command, for messages; run from the repository root (<c>dotnet run</c> runs the app in the project's directory, hence the absolute path).</summary>
    public const string RegenerateCommand = "dotnet run --project src/Lims.Api -- openapi \"$PWD/openapi/lims.json\"";

    public static async Task<string> GenerateAsync(IServiceProvider services, CancellationToken ct)
    {
        var document = services.GetRequiredService<ISwaggerProvider>().GetSwagger(DocumentName);
        var version = services.GetService<IOptions<SwaggerOptions>>()?.Value.OpenApiVersion ?? OpenApiSpecVersion.OpenApi3_0;
        // "\n" on every platform, so the committed file is the same wherever it is generated.
        await using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        await document.SerializeAsync(new OpenApiJsonWriter(text), version, ct);
        return text.ToString().TrimEnd() + "\n";
    }
}
