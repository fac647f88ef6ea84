using Quartz;

namespace Lims.Jobs;

/// <summary>
/// Polls the outbox. Not concurrent: in a cluster Quartz runs one poll at a time across all nodes, and the
/// per-row claim in <see cref="OutboxProcessor"/> keeps each request to one run even without that.
/// </summary>
[DisallowConcurrentExecution]
public sealed class OutboxPollJob(OutboxProcessor processor) : IJob
{
    public const string Name = "outbox";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await processor.RunDueAsync(cancellationToken);
}

/// <summary>Fires one <see cref="IPeriodicJob"/>, named in the job data, once per interval across the cluster.</summary>
[DisallowConcurrentExecution]
public sealed class PeriodicQuartzJob(IEnumerable<IPeriodicJob> jobs) : IJob
{
    public const string WorkKey = "work";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var name = context.MergedJobDataMap.GetString(WorkKey);
        var job = jobs.FirstOrDefault(j => j.Name == name) ?? throw new JobExecutionException($"No periodic job named '{name}'.");
        await job.RunAsync(cancellationToken);
    }
}
