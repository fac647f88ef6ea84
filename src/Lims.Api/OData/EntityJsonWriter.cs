using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Lims.Collections;
using Lims.OData.Query;
using Lims.Storage;

namespace Lims.OData;

/// <summary>
/// Writes stored documents as OData JSON: the ETag annotation, then declared properties in definition order
/// (null when absent, so every row has the same columns), then any extra keys the client sent. One pass over the
/// document finds each declared field by a hash lookup, and values are copied as the stored UTF-8 text, not
/// re-serialised: a page of 1,000 tiles spent most of its time looking fields up one by one.
/// </summary>
public static class EntityJsonWriter
{
    private static readonly ConditionalWeakTable<CollectionDefinition, Layout> _layouts = [];

    public static void Write(Utf8JsonWriter writer, CollectionDefinition collection, JsonElement document, long version, Projection? select = null)
    {
        writer.WriteStartObject();
        WriteProperties(writer, collection, document, version, select);
        writer.WriteEndObject();
    }

    /// <summary>Writes the entity's annotation and properties into an object the caller has opened.</summary>
    public static void WriteProperties(Utf8JsonWriter writer, CollectionDefinition collection, JsonElement document, long version, Projection? select)
    {
        var layout = _layouts.GetValue(collection, c => new Layout(c));
        writer.WriteString(Layout.ETag, StoredDocument.FormatETag(version));
        var values = new JsonElement[layout.Names.Length];
        var extras = false;
        foreach (var property in document.EnumerateObject())
        {
            if (layout.Positions.TryGetValue(property.Name, out var position))
            {
                values[position] = property.Value;
            }
            else
            {
                extras = true;
            }
        }
        for (var i = 0; i < values.Length; i++)
        {
            var name = layout.Fields[i].Name;
            if (select is not null && !select.Contains(name))
            {
                continue;
            }
            writer.WritePropertyName(layout.Names[i]);
            var value = values[i];
            if (value.ValueKind == JsonValueKind.Undefined)
            {
                writer.WriteNullValue();
            }
            else if (select?.Inner(name) is { } inner)
            {
                inner.Write(writer, value);
            }
            else
            {
                // The stored text is valid JSON already (the store parsed it on the way in).
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(value), skipInputValidation: true);
            }
        }
        if (!extras)
        {
            return;
        }
        foreach (var property in document.EnumerateObject())
        {
            if (!layout.Positions.ContainsKey(property.Name) && (select is null || select.Contains(property.Name)))
            {
                property.WriteTo(writer);
            }
        }
    }

    /// <summary>A collection's declared fields in output order, their encoded names and positions by name.</summary>
    private sealed class Layout
    {
        public static readonly JsonEncodedText ETag = JsonEncodedText.Encode("@odata.etag");

        public Layout(CollectionDefinition collection)
        {
            Fields = [.. collection.AllFields];
            Names = [.. Fields.Select(f => JsonEncodedText.Encode(f.Name, JsonOutput.Options.Encoder))];
            Positions = Fields.Select((f, i) => (f.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        }

        public FieldDefinition[] Fields { get; }
        public JsonEncodedText[] Names { get; }
        public Dictionary<string, int> Positions { get; }
    }
}
