using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Lims.Workflow;

/// <summary>Lists the lifecycle actions in Swagger (the single OData route hides them from the API explorer).</summary>
public sealed class WorkflowActionsFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        swaggerDoc.Paths ??= [];
        foreach (var action in WorkflowActions.All)
        {
            var collection = action.Collection;
            var operation = new OpenApiOperation
            {
                Tags = new HashSet<OpenApiTagReference> { new(collection.EntitySet, swaggerDoc) },
                Summary = $"Lims.{action.Name}: {action.Summary}",
                Description = $"Moves status to '{action.To}' through the state machine; 409 names both statuses when the move is not allowed. " +
                              "Send If-Match to make it conditional (412 when stale).",
                Parameters =
                [
                    new OpenApiParameter { Name = "key", In = ParameterLocation.Path, Required = true, Description = collection.Key.Description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                ],
                RequestBody = new OpenApiRequestBody
                {
                    Required = action.ReasonRequired,
                    Content = new Dictionary<string, IOpenApiMediaType>
                    {
                        ["application/json"] = new OpenApiMediaType
                        {
                            Schema = new OpenApiSchema
                            {
                                Type = JsonSchemaType.Object,
                                Properties = new Dictionary<string, IOpenApiSchema> { ["reason"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Why; recorded in the history" } },
                                Required = action.ReasonRequired ? new HashSet<string> { "reason" } : null,
                            },
                        },
                    },
                },
                Responses = new OpenApiResponses
                {
                    ["200"] = Response("The document after the transition", new OpenApiSchemaReference(collection.EntityType, swaggerDoc)),
                    ["404"] = Response("No such document", null),
                    ["409"] = Response("The transition is not allowed from the current status", null),
                    ["412"] = Response("If-Match does not name the current version", null),
                },
            };
            swaggerDoc.Paths[$"/odata/{collection.EntitySet}('{{key}}')/Lims.{action.Name}"] = new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Post] = operation },
            };
        }
    }

    private static OpenApiResponse Response(string description, IOpenApiSchema? schema) => new()
    {
        Description = description,
        Content = new Dictionary<string, IOpenApiMediaType>
        {
            ["application/json"] = new OpenApiMediaType { Schema = schema ?? new OpenApiSchema { Type = JsonSchemaType.Object } },
        },
    };
}
