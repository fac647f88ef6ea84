using System.ComponentModel.DataAnnotations;
using Lims.Settings;

namespace Lims.OData;

/// <summary>Query limits, bound from configuration section <c>OData</c>.</summary>
public sealed class ODataLimits
{
    [Setting("rows per response page; a larger `$top` is served over several pages linked by `@odata.nextLink`")]
    [Range(1, int.MaxValue)]
    public int MaxPageSize { get; set; } = 1000;

    [Setting("the largest `$top` accepted")]
    [Range(typeof(long), "1", "9223372036854775807")]
    public long MaxTop { get; set; } = 1_000_000;

    [Setting("how deep `$expand` may nest")]
    [Range(0, int.MaxValue)]
    public int MaxExpandDepth { get; set; } = 4;

    [Setting("the longest `$filter` accepted, in characters")]
    [Range(1, int.MaxValue)]
    public int MaxFilterLength { get; set; } = 4000;
}
