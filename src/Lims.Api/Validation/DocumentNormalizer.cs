using System.Globalization;
using System.Text.Json.Nodes;
using Lims.Collections;

namespace Lims.Validation;

/// <summary>
/// Rewrites valid values into one canonical form: date-times as UTC with seven fractional digits (so text order
/// is time order in both databases), whole numbers as integers, defaults filled, server-set fields dropped.
/// </summary>
public static class DocumentNormalizer
{
    public const string TimeFormat = "yyyy-MM-ddTHH:mm:ss.fffffffZ";

    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static void Normalize(CollectionDefinition collection, JsonObject document, bool fillDefaults)
    {
        foreach (var field in collection.AllFields)
        {
            if (field.ServerSet)
            {
                document.Remove(field.Name);
                continue;
            }
            if (fillDefaults && field.Default is { } value && document[field.Name] is null)
            {
                document[field.Name] = JsonValue.Create(value);
            }
            if (document[field.Name] is { } node && Canonical(field.Type, node) is { } replacement)
            {
                document[field.Name] = replacement;
            }
        }
    }

    /// <summary>A replacement for a primitive value not in canonical form; structured values are fixed in place (null returned).</summary>
    private static JsonValue? Canonical(FieldType type, JsonNode node)
    {
        switch (type)
        {
            case PrimitiveType { Kind: PrimitiveKind.DateTime } when node is JsonValue v && FieldRules.TryParseTime(v.GetValue<string>(), out var time):
                return JsonValue.Create(FormatTime(time));
            case PrimitiveType { Kind: PrimitiveKind.Int } when node is JsonValue v && !v.TryGetValue<long>(out _):
                return JsonValue.Create((long)v.GetValue<double>());
            case ComplexType complex when node is JsonObject obj:
                foreach (var inner in complex.Definition.Fields)
                {
                    if (obj[inner.Name] is { } child && Canonical(inner.Type, child) is { } replacement)
                    {
                        obj[inner.Name] = replacement;
                    }
                }
                return null;
            case ListType list when node is JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item && Canonical(list.Element, item) is { } replacement)
                    {
                        array[i] = replacement;
                    }
                }
                return null;
            default:
                return null;
        }
    }
}
