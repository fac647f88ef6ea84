using System.Text.Json;
using Lims.Collections;
using Lims.OData.Query;
using Lims.Storage;

namespace Lims.OData;

/// <summary>
/// Writes stored documents as OData JSON: the ETag annotation, then declared properties in definition order
/// (null when absent, so every row has the same columns), then any extra keys the client sent.
/// </summary>
public static class EntityJsonWriter
{
    public static void Write(Utf8JsonWriter writer, CollectionDefinition collection, JsonElement document, long version, Projection? select = null)
    {
        writer.WriteStartObject();
        WriteProperties(writer, collection, document, version, select);
        writer.WriteEndObject();
    }

    /// <summary>Writes the entity's annotation and properties into an object the caller has opened.</summary>
    public static void WriteProperties(Utf8JsonWriter writer, CollectionDefinition collection, JsonElement document, long version, Projection? select)
    {
        writer.WriteString("@odata.etag", StoredDocument.FormatETag(version));
        foreach (var field in collection.AllFields)
        {
            if (select is not null && !select.Contains(field.Name))
            {
                continue;
            }
            writer.WritePropertyName(field.Name);
            if (document.TryGetProperty(field.Name, out var value))
            {
                if (select?.Inner(field.Name) is { } inner)
                {
                    inner.Write(writer, value);
                }
                else
                {
                    value.WriteTo(writer);
                }
            }
            else
            {
                writer.WriteNullValue();
            }
        }
        foreach (var property in document.EnumerateObject())
        {
            if (collection.Find(property.Name) is null && (select is null || select.Contains(property.Name)))
            {
                property.WriteTo(writer);
            }
        }
    }
}
