namespace Lims.Limits;

/// <summary>Configuration section <c>Limits</c>: how large a request and its values may be.</summary>
public sealed class LimitsOptions
{
    /// <summary>Largest request body in bytes (413 beyond it).</summary>
    public long MaxBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Largest body of a tile ingest (POST /odata/Acquisitions(key)/tiles), which carries thousands of tiles.</summary>
    public long MaxIngestBodyBytes { get; set; } = 256 * 1024 * 1024;

    /// <summary>Longest string value or property name in a stored document, in characters (400 beyond it).</summary>
    public int MaxStringLength { get; set; } = 16 * 1024;

    /// <summary>
    /// Longest key or indexed (hot) string field, in characters: indexes cap their entries (PostgreSQL's B-tree at
    /// about 2.7 kB), so an overlong value there must be refused before it reaches the database.
    /// </summary>
    public int MaxIndexedStringLength { get; set; } = 512;
}

/// <summary>
/// Configuration section <c>RateLimit</c>: a token bucket per API key (per client address for requests without a valid
/// key): up to <see cref="Burst"/> requests at once, refilled by <see cref="PermitsPerPeriod"/> every <see cref="PeriodSeconds"/>.
/// </summary>
public sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;

    public int Burst { get; set; } = 200;

    public int PermitsPerPeriod { get; set; } = 50;

    public double PeriodSeconds { get; set; } = 1;
}
