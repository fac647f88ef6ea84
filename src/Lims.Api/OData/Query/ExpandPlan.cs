using Lims.Collections;

namespace Lims.OData.Query;

/// <summary>
/// One $expand: which navigation, how it links (the parent's reference field to the target's key, or the target's
/// reference field to the parent's key), and the plan of the expanded rows (their own filter, order, paging, expands).
/// </summary>
public sealed record ExpandPlan(string Navigation, bool SingleValued, string ParentField, string ChildField, QueryPlan Plan)
{
    public CollectionDefinition Target => Plan.Collection;

    /// <summary>
    /// Links a navigation of <paramref name="parent"/>: a forward reference (Tile/acquisition) or the reverse of
    /// another collection's reference (Acquisition/tiles, ROI/children).
    /// </summary>
    public static (CollectionDefinition Target, bool SingleValued, string ParentField, string ChildField)? Link(CollectionDefinition parent, string navigation)
    {
        if (parent.References.FirstOrDefault(r => r.Navigation == navigation) is { } forward)
        {
            var target = Catalog.Get(forward.Target);
            return (target, true, forward.Field, target.Key.Name);
        }
        var (source, reverse) = Catalog.ReferencesTo(parent).FirstOrDefault(r => r.Reference.ReverseNavigation == navigation);
        return source is null ? null : (source, false, parent.Key.Name, reverse.Field);
    }
}
