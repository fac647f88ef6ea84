using System.Text.Json.Nodes;
using Lims.Collections;
using Lims.Errors;
using Lims.Storage;

namespace Lims.Validation;

/// <summary>
/// Checks that referenced documents exist and fills or checks denormalised ids against the chain they copy.
/// Loads each referenced collection once for a whole batch, never once per document.
/// </summary>
public static class ReferenceResolver
{
    public static async Task<List<ErrorDetail>> ResolveAsync(
        StoreSession session, CollectionDefinition collection, IReadOnlyList<JsonObject> documents, Func<int, string> prefix, CancellationToken ct)
    {
        var errors = new List<ErrorDetail>();
        var loaded = new Dictionary<string, Dictionary<object, StoredDocument>>();

        async Task<Dictionary<object, StoredDocument>> Load(ReferenceTarget target)
        {
            var keys = documents.Select(d => KeyOf(d[target.Field], target.Collection)).OfType<object>().Distinct().ToList();
            var cacheKey = target.Collection.EntitySet + "/" + target.Field;
            if (!loaded.TryGetValue(cacheKey, out var found) || keys.Any(k => !found.ContainsKey(k)))
            {
                found = await session.GetManyAsync(target.Collection, keys, ct);
                if (target.Collection == collection)
                {
                    // A batch may hold a parent and its child (an ROI tree): the batch's own documents count as existing.
                    foreach (var doc in documents)
                    {
                        if (KeyOf(doc[collection.Key.Name], collection) is { } own)
                        {
                            found.TryAdd(own, new StoredDocument(doc, 0));
                        }
                    }
                }
                loaded[cacheKey] = found;
            }
            return found;
        }

        // Denormalised copies first: they may fill a reference (an acquisition's roi_id from its task) checked below.
        foreach (var copy in collection.Denormalised)
        {
            var via = TargetOf(collection, copy.Via);
            var parents = await Load(via);
            var field = collection.Find(copy.Field)!;
            for (var i = 0; i < documents.Count; i++)
            {
                var doc = documents[i];
                if (KeyOf(doc[copy.Via], via.Collection) is not { } parentKey || !parents.TryGetValue(parentKey, out var parent))
                {
                    continue;
                }
                var expected = parent.Document[copy.SourceField];
                var actual = doc[copy.Field];
                if (actual is null)
                {
                    if (expected is not null)
                    {
                        doc[copy.Field] = expected.DeepClone();
                    }
                }
                else if (expected is not null && !JsonNode.DeepEquals(actual, expected))
                {
                    errors.Add(new("Contradiction", prefix(i) + copy.Field,
                        $"'{copy.Field}' is {actual.ToJsonString()} but {via.Collection.EntitySet}({FormatKey(parentKey)}) has {copy.SourceField} {expected.ToJsonString()}."));
                }
            }
            if (field.Required)
            {
                for (var i = 0; i < documents.Count; i++)
                {
                    if (documents[i][copy.Field] is null && documents[i][copy.Via] is null)
                    {
                        errors.Add(new("Required", prefix(i) + copy.Field, $"'{copy.Field}' is required (or '{copy.Via}' to take it from)."));
                    }
                }
            }
        }

        foreach (var reference in collection.References)
        {
            var target = TargetOf(collection, reference.Field);
            var found = await Load(target);
            for (var i = 0; i < documents.Count; i++)
            {
                if (KeyOf(documents[i][reference.Field], target.Collection) is { } key && !found.ContainsKey(key))
                {
                    errors.Add(new("ReferenceNotFound", prefix(i) + reference.Field,
                        $"'{reference.Field}' refers to {target.Collection.EntitySet}({FormatKey(key)}), which does not exist."));
                }
            }
        }
        return errors;
    }

    public static string FormatKey(object key) => key is string s ? $"'{s.Replace("'", "''", StringComparison.Ordinal)}'" : Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture)!;

    private sealed record ReferenceTarget(string Field, CollectionDefinition Collection);

    private static ReferenceTarget TargetOf(CollectionDefinition collection, string field)
    {
        var reference = collection.ReferenceFor(field) ?? throw new InvalidOperationException($"{collection.EntitySet}.{field} is not a reference.");
        return new(field, Catalog.Get(reference.Target));
    }

    private static object? KeyOf(JsonNode? node, CollectionDefinition target) => node switch
    {
        JsonValue v when target.HasIntegerKey && v.TryGetValue<long>(out var n) => n,
        JsonValue v when !target.HasIntegerKey && v.TryGetValue<string>(out var s) => s,
        _ => null,
    };
}
