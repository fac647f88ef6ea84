using Lims.Collections.Definitions;

namespace Lims.Collections;

/// <summary>The nine collections, then the service's own read-only ones (histories, quality reports, keys, audit trail), in an order where every reference points to an earlier one.</summary>
public static class Catalog
{
    public static readonly IReadOnlyList<CollectionDefinition> All =
    [
        Specimens.Definition, Blocks.Definition, CuttingSessions.Definition, Substrates.Definition,
        Sections.Definition, Rois.Definition, AcquisitionTasks.Definition, Acquisitions.Definition,
        Tiles.Definition, TaskEvents.Definition, AcquisitionEvents.Definition, QualityReports.Definition, ApiKeys.Definition, AuditEntries.Definition,
    ];

    private static readonly Dictionary<string, CollectionDefinition> _byEntitySet =
        All.ToDictionary(c => c.EntitySet, StringComparer.OrdinalIgnoreCase);

    public static CollectionDefinition Get(string entitySet) => _byEntitySet[entitySet];

    public static CollectionDefinition? Find(string entitySet) => _byEntitySet.GetValueOrDefault(entitySet);

    /// <summary>References from other collections into <paramref name="target"/> (for delete guards and reverse navigation).</summary>
    public static IEnumerable<(CollectionDefinition Source, ReferenceDefinition Reference)> ReferencesTo(CollectionDefinition target) =>
        All.SelectMany(c => c.References.Where(r => r.Target == target.EntitySet).Select(r => (c, r)));
}
