using System.ComponentModel.DataAnnotations;
using Lims.Settings;

namespace Lims.Limits;

/// <summary>Configuration section <c>Limits</c>: how large a request and its values may be.</summary>
public sealed class LimitsOptions
{
    /// <summary>Largest request body in bytes (413 beyond it).</summary>
    [Setting("largest request body in bytes (413 beyond it)")]
    [Range(1024, long.MaxValue)]
    public long MaxBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Largest body of a tile ingest (POST /odata/Acquisitions(key)/tiles), which carries thousands of tiles.</summary>
    [Setting("largest tile-ingest body in bytes")]
    [Range(1024, long.MaxValue)]
    public long MaxIngestBodyBytes { get; set; } = 256 * 1024 * 1024;

    /// <summary>Longest string value or property name in a stored document, in characters (400 beyond it).</summary>
    [Setting("longest string value or property name in a document (400 beyond it)")]
    [Range(1, int.MaxValue)]
    public int MaxStringLength { get; set; } = 16 * 1024;

    /// <summary>
    /// Longest key or indexed (hot) string field, in characters: indexes cap their entries (PostgreSQL's B-tree at
    /// about 2.7 kB), so an overlong value there must be refused before it reaches the database.
    /// </summary>
    [Setting("longest key or indexed string field")]
    [Range(1, 2000)]
    public int MaxIndexedStringLength { get; set; } = 512;
}

/// <summary>
/// Configuration section <c>RateLimit</c>: a token bucket per API key (per client address for requests without a valid
/// key): up to <see cref="Burst"/> requests at once, refilled by <see cref="PermitsPerPeriod"/> every <see cref="PeriodSeconds"/>.
/// </summary>
public sealed class RateLimitOptions
{
    [Setting("rate limiting per API key on or off")]
    public bool Enabled { get; set; } = true;

    [Setting("requests a key may make at once")]
    [Range(1, int.MaxValue)]
    public int Burst { get; set; } = 200;

    [Setting("requests added back to a key's bucket each period")]
    [Range(1, int.MaxValue)]
    public int PermitsPerPeriod { get; set; } = 50;

    [Setting("the refill period in seconds")]
    [Range(0.001, 3600)]
    public double PeriodSeconds { get; set; } = 1;
}
