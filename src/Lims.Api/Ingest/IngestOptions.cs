using System.ComponentModel.DataAnnotations;
using Lims.Settings;

namespace Lims.Ingest;

/// <summary>Configuration section <c>Ingest</c>.</summary>
public sealed class IngestOptions
{
    /// <summary>Largest number of tiles one request may carry; more is refused with 413.</summary>
    [Setting("most tiles one ingest request may carry (413 beyond it)")]
    [Range(1, 10_000_000)]
    public int MaxTilesPerRequest { get; set; } = 100_000;

    /// <summary>Largest request body in bytes (Kestrel's default of 30 MB is too small for 100,000 tiles).</summary>
    [Setting("Kestrel's body limit on the ingest route, in bytes")]
    [Range(1024, long.MaxValue)]
    public long MaxRequestBytes { get; set; } = 1L << 30;

    /// <summary>Tiles validated and written together; bounds the memory one request holds.</summary>
    [Setting("tiles validated and written together (bounds memory per request)")]
    [Range(1, 100_000)]
    public int ChunkSize { get; set; } = 1_000;

    /// <summary>How long the quality-report job waits after the last ingest into an acquisition (debounce).</summary>
    [Setting("debounce before the quality report is recomputed after an ingest")]
    public TimeSpan QualityReportDelay { get; set; } = TimeSpan.FromSeconds(5);
}
