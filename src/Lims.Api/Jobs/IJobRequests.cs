using Lims.Storage;

namespace Lims.Jobs;

/// <summary>
/// Requests background work inside the caller's transaction, so the request is stored if and only if the write
/// that caused it is. Requesting the same (job, key) again before it is relayed moves it later (debounce).
/// </summary>
public interface IJobRequests
{
    Task EnqueueAsync(StoreSession session, string job, string key, TimeSpan delay, CancellationToken ct);
}

/// <summary>Does one kind of background work for one key (an acquisition id, a task id). Must be idempotent: Hangfire may run it twice.</summary>
public interface IJobHandler
{
    string Job { get; }

    /// <summary>What running the job for <paramref name="key"/> does, in the words of the jobs page.</summary>
    string Describe(string key);

    Task RunAsync(string key, CancellationToken ct);
}
