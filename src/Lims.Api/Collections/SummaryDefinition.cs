namespace Lims.Collections;

/// <summary>
/// Aggregates a collection keeps per combination of <see cref="Keys"/> (count of rows; count, sum, min and max of each
/// of <see cref="Values"/>), updated by the writer's own statement. A $apply that groups only on those keys and
/// aggregates only decomposable functions of those values, with no filter, is answered from them.
/// </summary>
public sealed record SummaryDefinition(IReadOnlyList<string> Keys, IReadOnlyList<string> Values)
{
    public static string Table(CollectionDefinition collection) => collection.Table + "_summary";

    /// <summary>The column of one aggregate (n, sum, min, max) of a summarised value.</summary>
    public static string Column(string value, string aggregate) => $"{value}_{aggregate}";
}
