using System.Text.Json;
using Lims.Batch;
using Lims.Collections;
using Lims.Documents;
using Lims.OData;
using Lims.OData.Protocol;
using Lims.Seeding;
using Microsoft.OData.Edm;

namespace Lims.Api;

public static class ODataEndpoints
{
    public static IServiceCollection AddLimsOData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(provider =>
        {
            var extensions = provider.GetServices<IODataExtension>().ToList();
            return EdmModelBuilder.Build(Catalog.All, (model, container) => extensions.ForEach(e => e.ExtendModel(model, container)));
        });
        services.AddSingleton(provider => new MetadataDocuments(provider.GetRequiredService<IEdmModel>()));
        services.AddSingleton<DocumentService>();
        services.AddSingleton<DocumentHandlers>();
        services.AddSingleton<ReferenceHandlers>();
        services.AddSingleton<OperationRunner>();
        services.AddSingleton<BatchHandler>();
        services.AddSingleton<ODataDispatcher>();
        services.AddSingleton<SeedLoader>();
        return services;
    }

    public static IEndpointRouteBuilder MapLimsOData(this IEndpointRouteBuilder app)
    {
        app.MapGet("/odata", ServiceDocument).ExcludeFromDescription();
        app.MapGet("/odata/$metadata", Metadata).ExcludeFromDescription();
        app.MapPost("/odata/$batch", (HttpContext http, BatchHandler batch) => batch.HandleAsync(http)).ExcludeFromDescription();
        app.MapMethods("/odata/{**path}", ["GET", "POST", "PUT", "PATCH", "DELETE"],
            (HttpContext http, ODataDispatcher dispatcher) => dispatcher.HandleAsync(http)).ExcludeFromDescription();
        return app;
    }

    private static IResult Metadata(HttpContext http, MetadataDocuments metadata) => MetadataFormat.WantsJson(http.Request)
        ? Results.Bytes(metadata.Json, "application/json; charset=utf-8")
        : Results.Bytes(metadata.Xml, "application/xml; charset=utf-8");

    private static async Task ServiceDocument(HttpContext http, IEdmModel model)
    {
        var root = ODataUriFactory.ServiceRoot(http.Request);
        http.Response.ContentType = ResponseFormat.DefaultContentType;
        await using var writer = new Utf8JsonWriter(http.Response.Body, JsonOutput.Options);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", $"{root}$metadata");
        writer.WriteStartArray("value");
        foreach (var set in model.EntityContainer.EntitySets())
        {
            writer.WriteStartObject();
            writer.WriteString("name", set.Name);
            writer.WriteString("kind", "EntitySet");
            writer.WriteString("url", set.Name);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync();
    }
}
