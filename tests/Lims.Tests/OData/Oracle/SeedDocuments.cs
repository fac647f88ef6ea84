using System.Text.Json.Nodes;
using Lims.Collections;
using Lims.Tests.Infrastructure;
using Lims.Validation;

namespace Lims.Tests.OData.Oracle;

/// <summary>
/// The demo lab's documents in memory, normalised as the server stores them (UTC date-times with seven fractional
/// digits, whole numbers as integers, defaults filled), keyed by entity set.
/// </summary>
public sealed class SeedDocuments
{
    private static readonly Lazy<SeedDocuments> _instance = new(Load);

    public static SeedDocuments Instance => _instance.Value;

    public IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> BySet { get; }

    private SeedDocuments(IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> bySet) => BySet = bySet;

    public IReadOnlyList<JsonObject> Of(CollectionDefinition collection) => BySet[collection.EntitySet];

    private static SeedDocuments Load()
    {
        var sets = new Dictionary<string, IReadOnlyList<JsonObject>>(StringComparer.Ordinal);
        foreach (var file in System.IO.Directory.GetFiles(SeedFiles.Directory, "*.json"))
        {
            var collection = Catalog.Get(Path.GetFileNameWithoutExtension(file).Split('-', 2)[1]);
            var documents = JsonNode.Parse(File.ReadAllText(file))!.AsArray().Select(n => n!.AsObject().DeepClone().AsObject()).ToList();
            foreach (var document in documents)
            {
                DocumentNormalizer.Normalize(collection, document, fillDefaults: true);
            }
            sets[collection.EntitySet] = documents;
        }
        return new SeedDocuments(sets);
    }
}
