using Lims.Storage;
using Lims.Validation;
using Microsoft.Extensions.Options;

namespace Lims.Jobs;

/// <summary>
/// Runs due job requests from the outbox. A request is claimed by a compare-and-set on its due time (moved a
/// lease ahead), so of two nodes reading the same row only one runs it, and a node that dies mid-run leaves a
/// claim that expires. Success deletes the row unless it was requested again meanwhile; failure records
/// attempts and the error and retries after an exponential, jittered backoff.
/// </summary>
public sealed class OutboxProcessor(DocumentStore store, IEnumerable<IJobHandler> handlers, IOptions<JobsOptions> options, TimeProvider time, ILogger<OutboxProcessor> logger)
{
    private const int MaxErrorLength = 2000;
    private const string Table = JobRequestsTable.Table;
    private readonly Dictionary<string, IJobHandler> _handlers = handlers.ToDictionary(h => h.Job, StringComparer.Ordinal);

    private sealed record Due(string Job, string Key, string DueAt, long Attempts);

    /// <summary>Runs every request due now (up to the batch size); returns how many ran successfully.</summary>
    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var now = Format(time.GetUtcNow());
        var due = await store.ReadAsync(async session =>
        {
            await using var command = session.Command(
                $"SELECT job, key, due_at, attempts FROM {Table} WHERE due_at <= @now ORDER BY due_at LIMIT {settings.BatchSize}", ("@now", now));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new List<Due>();
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
            }
            return rows;
        }, ct);

        var succeeded = 0;
        foreach (var request in due)
        {
            ct.ThrowIfCancellationRequested();
            if (await ClaimAsync(request, ct) is { } lease && await RunOneAsync(request, lease, ct))
            {
                succeeded++;
            }
        }
        return succeeded;
    }

    private async Task<string?> ClaimAsync(Due request, CancellationToken ct)
    {
        var lease = Format(time.GetUtcNow() + options.Value.ClaimLease);
        var claimed = await store.WriteAsync(session => session.ExecuteAsync(
            $"UPDATE {Table} SET due_at = @lease WHERE job = @job AND key = @key AND due_at = @due", ct,
            ("@lease", lease), ("@job", request.Job), ("@key", request.Key), ("@due", request.DueAt)), ct);
        return claimed == 1 ? lease : null;
    }

    private async Task<bool> RunOneAsync(Due request, string lease, CancellationToken ct)
    {
        try
        {
            if (!_handlers.TryGetValue(request.Job, out var handler))
            {
                throw new InvalidOperationException($"No handler is registered for job '{request.Job}'.");
            }
            await handler.RunAsync(request.Key, ct);
            // A request made again while this ran moved due_at off the lease: keep it so that it runs once more.
            await store.WriteAsync(session => session.ExecuteAsync(
                $"DELETE FROM {Table} WHERE job = @job AND key = @key AND due_at = @lease", ct,
                ("@job", request.Job), ("@key", request.Key), ("@lease", lease)), ct);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var attempts = request.Attempts + 1;
            var settings = options.Value;
            var retry = time.GetUtcNow() + Backoff.Delay(settings.JobRetryBase, (int)Math.Min(attempts, int.MaxValue), settings.JobRetryMax, Random.Shared.NextDouble());
            logger.LogWarning(e, "Job {Job} for {Key} failed (attempt {Attempts}); retrying at {Retry}", request.Job, request.Key, attempts, retry);
            var error = $"{e.GetType().Name}: {e.Message}";
            await store.WriteAsync(session => session.ExecuteAsync(
                $"UPDATE {Table} SET attempts = @attempts, last_error = @error, due_at = @retry WHERE job = @job AND key = @key AND due_at = @lease", CancellationToken.None,
                ("@attempts", attempts), ("@error", error.Length > MaxErrorLength ? error[..MaxErrorLength] : error), ("@retry", Format(retry)),
                ("@job", request.Job), ("@key", request.Key), ("@lease", lease)), CancellationToken.None);
            return false;
        }
    }

    private static string Format(DateTimeOffset time) => DocumentNormalizer.FormatTime(time);
}
