using Lims.Storage;
using Lims.Validation;
using Microsoft.Extensions.Options;

namespace Lims.Jobs;

/// <summary>One due job request: which job, for which key.</summary>
public sealed record JobRequest(string Job, string Key);

/// <summary>
/// Hands due job requests from the outbox to Hangfire. A request is claimed by a compare-and-set on its due time
/// (moved a short lease ahead), so of two nodes' relays only one hands it over, and a relay that dies mid-pass
/// leaves a claim that expires after <see cref="JobsOptions.RelayLease"/>. The row is deleted only after the hand-over,
/// and only if nobody requested the job again meanwhile: a crash in between hands it over twice, which the jobs
/// tolerate, rather than never.
/// </summary>
public sealed class OutboxRelay(DocumentStore store, IOptions<JobsOptions> options, TimeProvider time)
{
    private const string Table = JobRequestsTable.Table;

    private sealed record Due(string Job, string Key, string DueAt);

    /// <summary>Hands every request due now (up to the batch size) to <paramref name="handOver"/>; returns how many it handed over.</summary>
    public async Task<int> RelayDueAsync(Func<JobRequest, CancellationToken, Task> handOver, CancellationToken ct)
    {
        var due = await store.ReadAsync(async session =>
        {
            await using var command = session.Command(
                $"SELECT job, key, due_at FROM {Table} WHERE due_at <= @now ORDER BY due_at LIMIT {options.Value.BatchSize}", ("@now", Format(time.GetUtcNow())));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new List<Due>();
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
            return rows;
        }, ct);

        var handed = 0;
        foreach (var request in due)
        {
            ct.ThrowIfCancellationRequested();
            if (await ClaimAsync(request, ct) is not { } lease)
            {
                continue;
            }
            await handOver(new(request.Job, request.Key), ct);
            await store.WriteAsync(session => session.ExecuteAsync(
                $"DELETE FROM {Table} WHERE job = @job AND key = @key AND due_at = @lease", CancellationToken.None,
                ("@job", request.Job), ("@key", request.Key), ("@lease", lease)), CancellationToken.None);
            handed++;
        }
        return handed;
    }

    private async Task<string?> ClaimAsync(Due request, CancellationToken ct)
    {
        var lease = Format(time.GetUtcNow() + options.Value.RelayLease);
        var claimed = await store.WriteAsync(session => session.ExecuteAsync(
            $"UPDATE {Table} SET due_at = @lease WHERE job = @job AND key = @key AND due_at = @due", ct,
            ("@lease", lease), ("@job", request.Job), ("@key", request.Key), ("@due", request.DueAt)), ct);
        return claimed == 1 ? lease : null;
    }

    private static string Format(DateTimeOffset time) => DocumentNormalizer.FormatTime(time);
}
