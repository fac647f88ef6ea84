using System.Text.Json;
using System.Text.Json.Nodes;
using Lims.Errors;

namespace Lims.Validation;

/// <summary>
/// System.Text.Json accepts an escaped lone surrogate (<c>"\ud800"</c>) while parsing and only fails when the string
/// is read, deep inside a later step. Reading every name and string once, right after parsing, turns that into a 400
/// at the door for bodies and NDJSON lines alike.
/// </summary>
public static class WellFormedText
{
    public static T Require<T>(T node, string target) where T : JsonNode?
    {
        try
        {
            Visit(node);
        }
        catch (InvalidOperationException e)
        {
            var message = "A name or string holds a lone UTF-16 surrogate (such as \\ud800), which is not text.";
            throw new ApiException(400, "InvalidText", message, [new ErrorDetail("InvalidText", target, e.Message)]);
        }
        return node;
    }

    private static void Visit(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Visit(child);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Visit(item);
                }
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                _ = value.GetValue<string>();
                break;
        }
    }
}
