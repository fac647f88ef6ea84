using System.Text.Json;
using System.Text.Json.Nodes;
using Lims.Collections;
using Lims.Documents;
using Lims.Errors;
using Microsoft.Extensions.Options;

namespace Lims.Limits;

/// <summary>
/// Refuses documents with overlong strings or property names (400 naming each), before they are stored: values
/// anywhere beyond <see cref="LimitsOptions.MaxStringLength"/>, keys and indexed fields beyond <see cref="LimitsOptions.MaxIndexedStringLength"/>.
/// Strings holding U+0000 are refused too: PostgreSQL cannot store them, so both stores refuse them alike.
/// </summary>
public sealed class StringLengthHook(IOptions<LimitsOptions> options) : IDocumentWriteHook
{
    private const int MaxReported = 10;

    public Task OnWriteAsync(WriteContext context, CancellationToken ct)
    {
        if (context.After is null)
        {
            return Task.CompletedTask;
        }
        var limits = options.Value;
        var details = new List<ErrorDetail>();
        foreach (var field in IndexedStrings(context.Collection))
        {
            if (context.After[field] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length > limits.MaxIndexedStringLength)
            {
                details.Add(new("TooLong", field, $"'{field}' is longer than {limits.MaxIndexedStringLength} characters (Limits:MaxIndexedStringLength)."));
            }
        }
        Walk(context.After, "", limits.MaxStringLength, details);
        if (details.Count > 0)
        {
            throw ApiException.BadRequest(details[0].Message + (details.Count > 1 ? $" ({details.Count} values are too long.)" : ""), details);
        }
        return Task.CompletedTask;
    }

    private static IEnumerable<string> IndexedStrings(CollectionDefinition collection) =>
        collection.HotFields.Prepend(collection.Key).Where(f => f.Type is PrimitiveType { Kind: PrimitiveKind.String }).Select(f => f.Name);

    private static void Walk(JsonNode? node, string target, int max, List<ErrorDetail> details)
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
                        details.Add(new("InvalidText", path.Replace("\0", "\\0", StringComparison.Ordinal), "A property name holds the character U+0000, which cannot be stored."));
                        continue;
                    }
                    if (name.Length > max)
                    {
                        details.Add(new("TooLong", path[..Math.Min(path.Length, 64)] + "...", $"A property name is longer than {max} characters (Limits:MaxStringLength)."));
                        continue;
                    }
                    Walk(child, path, max, details);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{target}[{i}]", max, details);
                }
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is var text:
                if (text.Length > max)
                {
                    details.Add(new("TooLong", target, $"'{target}' is longer than {max} characters (Limits:MaxStringLength)."));
                }
                else if (text.Contains('\0', StringComparison.Ordinal))
                {
                    details.Add(new("InvalidText", target, $"'{target}' holds the character U+0000, which cannot be stored."));
                }
                break;
        }
    }
}
