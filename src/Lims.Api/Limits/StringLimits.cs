using System.Text.Json;
using System.Text.Json.Nodes;
using Lims.Collections;
using Lims.Errors;

namespace Lims.Limits;

/// <summary>
/// Overlong strings and property names: values anywhere beyond <see cref="LimitsOptions.MaxStringLength"/>, keys and
/// indexed fields beyond <see cref="LimitsOptions.MaxIndexedStringLength"/>. Strings holding U+0000 are refused too:
/// PostgreSQL cannot store them, so both stores refuse them alike. Part of validation, so a single write and each tile
/// of a bulk ingest get the same messages.
/// </summary>
public static class StringLimits
{
    private const int MaxReported = 10;

    /// <summary>Every problem of <paramref name="document"/> (at most ten), targets prefixed with <paramref name="prefix"/>.</summary>
    public static List<ErrorDetail> Check(CollectionDefinition collection, JsonObject document, LimitsOptions limits, string prefix = "")
    {
        var details = new List<ErrorDetail>();
        foreach (var field in IndexedStrings(collection))
        {
            if (document[field] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length > limits.MaxIndexedStringLength)
            {
                details.Add(new("TooLong", prefix + field, $"'{field}' is longer than {limits.MaxIndexedStringLength} characters (Limits:MaxIndexedStringLength)."));
            }
        }
        Walk(document, "", prefix, limits.MaxStringLength, details);
        return details;
    }

    private static IEnumerable<string> IndexedStrings(CollectionDefinition collection) =>
        collection.HotFields.Prepend(collection.Key).Where(f => f.Type is PrimitiveType { Kind: PrimitiveKind.String }).Select(f => f.Name);

    private static void Walk(JsonNode? node, string target, string prefix, int max, List<ErrorDetail> details)
    {
        if (details.Count >= MaxReported)
        {
            return;
        }
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    var path = target.Length == 0 ? name : $"{target}/{name}";
                    if (name.Contains('\0', StringComparison.Ordinal))
                    {
                        details.Add(new("InvalidText", prefix + path.Replace("\0", "\\0", StringComparison.Ordinal), "A property name holds the character U+0000, which cannot be stored."));
                        continue;
                    }
                    if (name.Length > max)
                    {
                        details.Add(new("TooLong", prefix + path[..Math.Min(path.Length, 64)] + "...", $"A property name is longer than {max} characters (Limits:MaxStringLength)."));
                        continue;
                    }
                    Walk(child, path, prefix, max, details);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{target}[{i}]", prefix, max, details);
                }
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is var text:
                if (text.Length > max)
                {
                    details.Add(new("TooLong", prefix + target, $"'{target}' is longer than {max} characters (Limits:MaxStringLength)."));
                }
                else if (text.Contains('\0', StringComparison.Ordinal))
                {
                    details.Add(new("InvalidText", prefix + target, $"'{target}' holds the character U+0000, which cannot be stored."));
                }
                break;
        }
    }
}
