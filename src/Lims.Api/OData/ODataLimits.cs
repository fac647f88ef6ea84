using System.ComponentModel.DataAnnotations;
using Lims.Settings;

namespace Lims.OData;

/// <summary>Query limits, bound from configuration section <c>OData</c>.</summary>
public sealed class ODataLimits
{
    [Setting("rows per response page; a larger `$top` is served over several pages linked by `@odata.nextLink`")]
    [Range(1, int.MaxValue)]
    public int MaxPageSize { get; set; } = 1000;

    // Under the 1 MiB read quota of ODataLib-based clients with room for one more row (substrates reach 7 kB).
    [Setting("a page ends after the row that brings it to this many bytes, unless the client asked for a page size with `Prefer`")]
    [Range(typeof(long), "1024", "9223372036854775807")]
    public long MaxPageBytes { get; set; } = 900_000;

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

    /// <summary>These limits with the page size a client asked for (<c>Prefer: odata.maxpagesize</c>), in rows only.</summary>
    public ODataLimits WithPageSize(int pageSize)
    {
        var copy = (ODataLimits)MemberwiseClone();
        copy.MaxPageSize = pageSize;
        copy.MaxPageBytes = long.MaxValue;
        return copy;
    }
}
