using System.Text.Json;
using Lims.Collections;

namespace Lims.OData.Query;

/// <summary>One entity read for a response that expands: its document, and what each $expand found for it.</summary>
public sealed class ResultRow(object key, JsonDocument document, long version) : IDisposable
{
    public object Key { get; } = key;
    public JsonDocument Document { get; } = document;
    public long Version { get; } = version;
    public Dictionary<string, ExpandedRows> Expanded { get; } = new(StringComparer.Ordinal);

    /// <summary>The value that links this row to an expand: its key, or the reference field it holds (null when absent).</summary>
    public object? LinkValue(CollectionDefinition collection, string field)
    {
        if (field == collection.Key.Name)
        {
            return Key;
        }
        if (!Document.RootElement.TryGetProperty(field, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetInt64(),
            JsonValueKind.String => value.GetString(),
            _ => null,
        };
    }

    public void Dispose()
    {
        Document.Dispose();
        foreach (var child in Expanded.Values.SelectMany(e => e.Rows))
        {
            child.Dispose();
        }
    }
}

/// <summary>The rows an $expand found for one parent, with the total before $top/$skip when $count was asked.</summary>
public sealed record ExpandedRows(ExpandPlan Expand, IReadOnlyList<ResultRow> Rows, long Total);
