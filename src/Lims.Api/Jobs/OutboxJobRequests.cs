using Lims.Storage;
using Lims.Validation;

namespace Lims.Jobs;

/// <summary>Stores job requests in <see cref="JobRequestsTable"/>; a repeated request moves the due time later (debounce).</summary>
public sealed class OutboxJobRequests(TimeProvider time) : IJobRequests
{
    public async Task EnqueueAsync(StoreSession session, string job, string key, TimeSpan delay, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await session.ExecuteAsync(
            $"INSERT INTO {JobRequestsTable.Table} (job, key, due_at, requested_at, attempts) VALUES (@job, @key, @due, @now, 0) " +
            "ON CONFLICT (job, key) DO UPDATE SET due_at = excluded.due_at, requested_at = excluded.requested_at", ct,
            ("@job", job), ("@key", key), ("@due", DocumentNormalizer.FormatTime(now + delay)), ("@now", DocumentNormalizer.FormatTime(now)));
    }
}
