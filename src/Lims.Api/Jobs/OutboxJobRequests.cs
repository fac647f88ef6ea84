using Lims.Storage;
using Lims.Validation;
using Microsoft.Extensions.Options;

namespace Lims.Jobs;

/// <summary>
/// Stores job requests in <see cref="JobRequestsTable"/>. A repeated request moves the due time later (debounce) until
/// the oldest unserved one (requested_at, kept) is <see cref="JobsOptions.MaxDebounce"/> old; from then on it only
/// moves earlier, and off a relay's claim, so the request is relayed once more.
/// </summary>
public sealed class OutboxJobRequests(TimeProvider time, IOptions<JobsOptions> options, JobRequestSignal signal) : IJobRequests
{
    public async Task EnqueueAsync(StoreSession session, string job, string key, TimeSpan delay, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        const string Table = JobRequestsTable.Table;
        await session.ExecuteAsync(
            $"INSERT INTO {Table} (job, key, due_at, requested_at) VALUES (@job, @key, @due, @now) " +
            $"ON CONFLICT (job, key) DO UPDATE SET due_at = CASE WHEN {Table}.requested_at < @cutoff " +
            $"THEN {session.Dialect.Least($"{Table}.due_at", "excluded.due_at")} ELSE excluded.due_at END", ct,
            ("@job", job), ("@key", key), ("@due", DocumentNormalizer.FormatTime(now + delay)), ("@now", DocumentNormalizer.FormatTime(now)),
            ("@cutoff", DocumentNormalizer.FormatTime(now - options.Value.MaxDebounce)));
        if (delay <= TimeSpan.Zero)
        {
            signal.Notify();
        }
    }
}
