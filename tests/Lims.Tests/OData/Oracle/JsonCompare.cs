using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lims.Tests.OData.Oracle;

/// <summary>
/// Compares a service answer with the oracle's: object members in any order, arrays in order, numbers by value
/// (aggregates of floating values to 1e-9 relative), with annotations other than counts, server-set fields and
/// null members (the service writes every declared field) left out.
/// </summary>
public static class JsonCompare
{
    // Fields the server computes (timestamps, acquisition roll-ups) are not in the seed files the oracle reads.
    private static readonly HashSet<string> _ignored = [.. Lims.Collections.Catalog.All.SelectMany(c => c.AllFields).Where(f => f.ServerSet).Select(f => f.Name)];

    public static JsonNode? Clean(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj
            .Where(p => p.Value is not null && !_ignored.Contains(p.Key) && (!p.Key.Contains('@', StringComparison.Ordinal) || p.Key.EndsWith("@odata.count", StringComparison.Ordinal)))
            .Select(p => KeyValuePair.Create(p.Key, Clean(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Clean)]),
        _ => node?.DeepClone(),
    };

    /// <summary>The first difference as a path and both values, or null when equal.</summary>
    public static string? Difference(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        switch (expected, actual)
        {
            case (null, null):
                return null;
            case (JsonObject e, JsonObject a):
                foreach (var name in e.Select(p => p.Key).Union(a.Select(p => p.Key)))
                {
                    if (Difference(e[name], a[name], $"{path}.{name}") is { } d)
                    {
                        return d;
                    }
                }
                return null;
            case (JsonArray e, JsonArray a):
                if (e.Count != a.Count)
                {
                    return $"{path}: expected {e.Count} items, got {a.Count}";
                }
                for (var i = 0; i < e.Count; i++)
                {
                    if (Difference(e[i], a[i], $"{path}[{i}]") is { } d)
                    {
                        return d;
                    }
                }
                return null;
            case (JsonValue e, JsonValue a) when e.GetValueKind() == JsonValueKind.Number && a.GetValueKind() == JsonValueKind.Number:
                var x = double.Parse(e.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
                var y = double.Parse(a.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
                return Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Abs(x)) ? null : $"{path}: expected {x}, got {y}";
            default:
                return JsonNode.DeepEquals(expected, actual) ? null : $"{path}: expected {expected?.ToJsonString()}, got {actual?.ToJsonString()}";
        }
    }
}
