namespace Lims.Jobs;

/// <summary>
/// Wakes this node's relay when a request due now was made here, so that it does not wait for the next poll. The
/// request commits with the caller's transaction a moment later, so the relay looks shortly after the signal; a
/// request it misses (a long transaction, another node's write) is relayed at the next poll as before.
/// </summary>
public sealed class JobRequestSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Many requests before the relay looks need one pass: the wake-up is set once until it is taken.</summary>
    public void Notify() => Volatile.Read(ref _next).TrySetResult();

    /// <summary>True when notified, false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        var next = Volatile.Read(ref _next);
        using var delay = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var timer = Task.Delay(timeout, time, delay.Token);
        var woken = await Task.WhenAny(next.Task, timer) == next.Task;
        await delay.CancelAsync();
        ct.ThrowIfCancellationRequested();
        if (woken)
        {
            Interlocked.CompareExchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously), next);
        }
        return woken;
    }
}
