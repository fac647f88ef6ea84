using System.Globalization;
using System.Security.Cryptography;

namespace Lims.Storage;

/// <summary>
/// Keys whose text order is the order they were made in: time first, then a per-process sequence (the order within
/// one clock tick, also under a frozen test clock), then random bits (unique across nodes without a shared counter).
/// </summary>
public static class TimeOrderedIds
{
    private static long _sequence;

    public static string New(DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{now.UtcDateTime:yyyyMMddTHHmmssfffffff}-{Interlocked.Increment(ref _sequence) % 1_000_000:000000}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
}
