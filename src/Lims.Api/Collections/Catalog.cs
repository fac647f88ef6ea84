using Lims.Collections.Definitions;

namespace Lims.Collections;

/// <summary>The nine collections and the read-only histories, in an order where every reference points to an earlier one.</summary>
public static class Catalog
{
    public static readonly IReadOnlyList<CollectionDefinition> All =
    [
        Specimens.Definition, Blocks.Definition, CuttingSessions.Definition, Substrates.Definition,
        Sections.Definition, Rois.Definition, AcquisitionTasks.Definition, Acquisitions.Definition,
        Tiles.Definition, TaskEvents.Definition, AcquisitionEvents.Definition,
    ];

    private static readonly Dictionary<string, CollectionDefinition> s_byEntitySet =
        All.ToDictionary(c => c.EntitySet, StringComparer.OrdinalIgnoreCase);

    public static CollectionDefinition Get(string entitySet) => s_byEntitySet[entitySet];

    public static CollectionDefinition? Find(string entitySet) => s_byEntitySet.GetValueOrDefault(entitySet);

    /// <summary>References from other collections into <paramref name="target"/> (for delete guards and reverse navigation).</summary>
    public static IEnumerable<(CollectionDefinition Source, ReferenceDefinition Reference)> ReferencesTo(CollectionDefinition target) =>
        All.SelectMany(c => c.References.Where(r => r.Target == target.EntitySet).Select(r => (c, r)));
}
