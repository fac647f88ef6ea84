using System.Text.Json.Nodes;
using Lims.Collections;
using Microsoft.OpenApi;

namespace Lims.Api;

/// <summary>OpenAPI schemas derived from the collection definitions: one per collection and one per structured shape.</summary>
public static class CollectionSchemas
{
    public static void AddAll(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        foreach (var complex in ComplexTypes.All)
        {
            document.Components.Schemas[complex.Name] = Object(complex.Fields, document, description: null);
        }
        foreach (var collection in Catalog.All)
        {
            document.Components.Schemas[collection.EntityType] = Object(collection.AllFields, document, collection.Description);
        }
        document.Components.Schemas["ODataError"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "{\"error\":{\"code\",\"message\",\"details\":[{\"code\",\"target\",\"message\"}]}}",
            Properties = new Dictionary<string, IOpenApiSchema> { ["error"] = new OpenApiSchema { Type = JsonSchemaType.Object } },
        };
    }

    private static OpenApiSchema Object(IEnumerable<FieldDefinition> fields, OpenApiDocument document, string? description)
    {
        var list = fields.ToList();
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = description,
            AdditionalPropertiesAllowed = true,
            Properties = list.ToDictionary(f => f.Name, f => Field(f, f.Type, document)),
            Required = list.Where(f => f.Required).Select(f => f.Name).ToHashSet(),
        };
    }

    private static IOpenApiSchema Field(FieldDefinition field, FieldType type, OpenApiDocument document)
    {
        switch (type)
        {
            case ComplexType complex:
                return new OpenApiSchemaReference(complex.Definition.Name, document);
            case ListType list:
                return new OpenApiSchema { Type = JsonSchemaType.Array, Description = field.Description, Items = Field(field, list.Element, document) };
            case PrimitiveType primitive:
                var schema = new OpenApiSchema { Description = field.Description, ReadOnly = field.ServerSet };
                (schema.Type, schema.Format) = primitive.Kind switch
                {
                    PrimitiveKind.Int => (JsonSchemaType.Integer, "int64"),
                    PrimitiveKind.Float => (JsonSchemaType.Number, "double"),
                    PrimitiveKind.Bool => (JsonSchemaType.Boolean, null),
                    PrimitiveKind.DateTime => (JsonSchemaType.String, "date-time"),
                    _ => (JsonSchemaType.String, (string?)null),
                };
                if (!field.Required)
                {
                    schema.Type |= JsonSchemaType.Null;
                }
                if (field.AllowedValues is { } values)
                {
                    schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
                }
                if (field.Minimum is { } min)
                {
                    schema.Minimum = min.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    schema.ExclusiveMinimum = field.ExclusiveMinimum ? schema.Minimum : null;
                }
                if (field.Maximum is { } max)
                {
                    schema.Maximum = max.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                return schema;
            default:
                throw new NotSupportedException(type.ToString());
        }
    }
}
