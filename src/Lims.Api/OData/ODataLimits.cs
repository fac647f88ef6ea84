namespace Lims.OData;

/// <summary>Query limits, bound from configuration section <c>OData</c>.</summary>
public sealed class ODataLimits
{
    /// <summary>Rows per response page; a larger $top is served over several pages linked by @odata.nextLink.</summary>
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>The largest $top accepted.</summary>
    public long MaxTop { get; set; } = 1_000_000;

    /// <summary>How deep $expand may nest.</summary>
    public int MaxExpandDepth { get; set; } = 4;

    /// <summary>The longest $filter accepted, in characters.</summary>
    public int MaxFilterLength { get; set; } = 4000;
}
