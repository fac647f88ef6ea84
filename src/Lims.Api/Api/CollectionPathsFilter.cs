using Lims.Collections;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Lims.Api;

/// <summary>
/// Describes the routes every collection gets (one OData route serves them all, so the API explorer cannot see
/// them): collection GET and POST, entity GET, PUT, PATCH and DELETE, with the schemas from the definitions.
/// </summary>
public sealed class CollectionPathsFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        CollectionSchemas.AddAll(swaggerDoc);
        swaggerDoc.Paths ??= [];
        foreach (var collection in Catalog.All)
        {
            var tag = new HashSet<OpenApiTagReference> { new(collection.EntitySet, swaggerDoc) };
            var entity = new OpenApiSchemaReference(collection.EntityType, swaggerDoc);
            var keyExample = collection.HasIntegerKey ? "{key}" : "'{key}'";

            var list = new OpenApiPathItem { Operations = [] };
            list.Operations[HttpMethod.Get] = Operation(tag, $"List or query {collection.EntitySet}", collection.Description,
                QueryParameters(), Response("200", "A page of documents", new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["@odata.context"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["@odata.count"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                        ["value"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = entity },
                        ["@odata.nextLink"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                }));
            if (!collection.ReadOnly)
            {
                var create = Operation(tag, $"Create a {collection.EntityType}" + (collection.AllowsBatchCreate ? " (or a JSON array of them, all or nothing)" : ""),
                    "Answers 201 with Location and ETag; 400 names every invalid field; 409 when the key exists.", [], Response("201", "Created", entity));
                create.RequestBody = Body(entity);
                list.Operations[HttpMethod.Post] = create;
            }
            swaggerDoc.Paths[$"/odata/{collection.EntitySet}"] = list;

            var single = new OpenApiPathItem { Operations = [] };
            single.Operations[HttpMethod.Get] = Operation(tag, $"Get one {collection.EntityType}", null, [KeyParameter(collection), .. SelectParameter()], Response("200", "The document", entity));
            if (!collection.ReadOnly)
            {
                var replace = Operation(tag, $"Replace a {collection.EntityType}", "Send If-Match with the ETag to avoid overwriting a newer version (412).", [KeyParameter(collection)], Response("200", "Replaced", entity));
                replace.RequestBody = Body(entity);
                single.Operations[HttpMethod.Put] = replace;
                var patch = Operation(tag, $"Update fields of a {collection.EntityType}", "Objects merge, other values replace, null clears.", [KeyParameter(collection)], Response("200", "Updated", entity));
                patch.RequestBody = Body(entity);
                single.Operations[HttpMethod.Patch] = patch;
                single.Operations[HttpMethod.Delete] = Operation(tag, $"Delete a {collection.EntityType}",
                    "409 while other documents reference it, unless ?cascade=true.", [KeyParameter(collection), CascadeParameter()], new OpenApiResponses { ["204"] = new OpenApiResponse { Description = "Deleted" } });
            }
            swaggerDoc.Paths[$"/odata/{collection.EntitySet}({keyExample})"] = single;
        }
    }

    private static OpenApiOperation Operation(HashSet<OpenApiTagReference> tags, string summary, string? description, List<IOpenApiParameter> parameters, OpenApiResponses responses)
    {
        responses["400"] = ErrorResponse("Invalid request: the OData error body names each problem");
        responses["404"] = ErrorResponse("No such document");
        return new OpenApiOperation { Tags = tags, Summary = summary, Description = description, Parameters = parameters, Responses = responses };
    }

    private static OpenApiResponses Response(string status, string description, IOpenApiSchema schema) => new()
    {
        [status] = new OpenApiResponse { Description = description, Content = new Dictionary<string, IOpenApiMediaType> { ["application/json"] = new OpenApiMediaType { Schema = schema } } },
    };

    private static OpenApiResponse ErrorResponse(string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, IOpenApiMediaType> { ["application/json"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } } },
    };

    private static OpenApiRequestBody Body(IOpenApiSchema schema) => new()
    {
        Required = true,
        Content = new Dictionary<string, IOpenApiMediaType> { ["application/json"] = new OpenApiMediaType { Schema = schema } },
    };

    private static OpenApiParameter KeyParameter(CollectionDefinition collection) => new()
    {
        Name = "key",
        In = ParameterLocation.Path,
        Required = true,
        Description = collection.Key.Description,
        Schema = new OpenApiSchema { Type = collection.HasIntegerKey ? JsonSchemaType.Integer : JsonSchemaType.String },
    };

    private static OpenApiParameter CascadeParameter() => new()
    {
        Name = "cascade",
        In = ParameterLocation.Query,
        Description = "Also delete every document that references this one.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean },
    };

    private static List<IOpenApiParameter> SelectParameter() => [Query("$select", "Properties to return, comma-separated")];

    private static List<IOpenApiParameter> QueryParameters() =>
    [
        Query("$filter", "OData filter expression, e.g. focus_score lt 0.5"),
        Query("$select", "Properties to return, comma-separated"),
        Query("$orderby", "Sort keys, e.g. raster_index desc"),
        Query("$top", "Number of documents", JsonSchemaType.Integer),
        Query("$skip", "Documents to skip", JsonSchemaType.Integer),
        Query("$count", "Include @odata.count", JsonSchemaType.Boolean),
        Query("$expand", "Related documents to include"),
        Query("$skiptoken", "Paging position from @odata.nextLink"),
    ];

    private static OpenApiParameter Query(string name, string description, JsonSchemaType type = JsonSchemaType.String) =>
        new() { Name = name, In = ParameterLocation.Query, Description = description, Schema = new OpenApiSchema { Type = type } };
}
