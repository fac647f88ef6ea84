namespace Lims.Ingest;

/// <summary>Configuration section <c>Ingest</c>.</summary>
public sealed class IngestOptions
{
    /// <summary>Largest number of tiles one request may carry; more is refused with 413.</summary>
    public int MaxTilesPerRequest { get; set; } = 100_000;

    /// <summary>Largest request body in bytes (Kestrel's default of 30 MB is too small for 100,000 tiles).</summary>
    public long MaxRequestBytes { get; set; } = 1L << 30;

    /// <summary>Tiles validated and written together; bounds the memory one request holds.</summary>
    public int ChunkSize { get; set; } = 1_000;

    /// <summary>How long the quality-report job waits after the last ingest into an acquisition (debounce).</summary>
    public TimeSpan QualityReportDelay { get; set; } = TimeSpan.FromSeconds(5);
}
