using System.ComponentModel.DataAnnotations;
using Lims.Settings;

namespace Lims.OData;

/// <summary>Query limits, bound from configuration section <c>OData</c>.</summary>
public sealed class ODataLimits
{
    // 500 keeps the largest page (tiles with their matchers) under the 1 MiB read quota of ODataLib-based clients.
    [Setting("rows per response page; a larger `$top` is served over several pages linked by `@odata.nextLink`")]
    [Range(1, int.MaxValue)]
    public int MaxPageSize { get; set; } = 500;

    [Setting("the largest page a client may ask for with `Prefer: odata.maxpagesize`")]
    [Range(1, int.MaxValue)]
    public int MaxPreferredPageSize { get; set; } = 5000;

    [Setting("the largest `$top` accepted")]
    [Range(typeof(long), "1", "9223372036854775807")]
    public long MaxTop { get; set; } = 1_000_000;

    [Setting("how deep `$expand` may nest")]
    [Range(0, int.MaxValue)]
    public int MaxExpandDepth { get; set; } = 6; // the lineage tile → acquisition → ROI → section → cutting session → block → specimen

    [Setting("the longest `$filter` accepted, in characters")]
    [Range(1, int.MaxValue)]
    public int MaxFilterLength { get; set; } = 4000;

    [Setting("the most requests one `$batch` may hold")]
    [Range(1, int.MaxValue)]
    public int MaxBatchOperations { get; set; } = 100;

    /// <summary>These limits with another page size (a client's <c>Prefer: odata.maxpagesize</c>).</summary>
    public ODataLimits WithPageSize(int pageSize)
    {
        var copy = (ODataLimits)MemberwiseClone();
        copy.MaxPageSize = pageSize;
        return copy;
    }
}
