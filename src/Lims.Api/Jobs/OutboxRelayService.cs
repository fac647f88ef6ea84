using Hangfire;
using Microsoft.Extensions.Options;

namespace Lims.Jobs;

/// <summary>
/// Runs <see cref="OutboxRelay"/> on each node every <see cref="JobsOptions.PollInterval"/>, and shortly after a request
/// made on this node (<see cref="JobRequestSignal"/>), enqueueing each request as a Hangfire job.
/// </summary>
public sealed class OutboxRelayService(
    OutboxRelay relay, IBackgroundJobClient hangfire, JobRequestSignal signal, IOptions<JobsOptions> options, TimeProvider time, ILogger<OutboxRelayService> logger)
    : BackgroundService
{
    private static readonly TimeSpan _settleDelay = TimeSpan.FromMilliseconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A full batch means more are due: relay again at once.
                while (await relay.RelayDueAsync(EnqueueAsync, stoppingToken) >= options.Value.BatchSize)
                {
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Relaying job requests to Hangfire failed; retrying at the next poll");
            }
            try
            {
                if (await signal.WaitAsync(options.Value.PollInterval, time, stoppingToken))
                {
                    // Let the requesting write commit first.
                    await Task.Delay(_settleDelay, time, stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private Task EnqueueAsync(JobRequest request, CancellationToken ct)
    {
        hangfire.Enqueue<JobDispatcher>(dispatcher => dispatcher.RunAsync(request.Job, request.Key, CancellationToken.None));
        return Task.CompletedTask;
    }
}
