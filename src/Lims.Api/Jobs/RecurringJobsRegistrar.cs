using Hangfire;

namespace Lims.Jobs;

/// <summary>
/// Adds (or updates) each periodic job as a Hangfire recurring job at start-up. The id is the job's name, so every node
/// writes the same entry and Hangfire fires each occurrence once across the nodes.
/// </summary>
public sealed class RecurringJobsRegistrar(IRecurringJobManager recurring, IReadOnlyList<PeriodicSchedule> schedules) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var schedule in schedules)
        {
            recurring.AddOrUpdate<JobDispatcher>(schedule.Name, dispatcher => dispatcher.RunPeriodicAsync(schedule.Name, CancellationToken.None),
                CronOf(schedule.Interval), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// A cron expression firing every <paramref name="interval"/> (Hangfire takes a seconds field first when there are
    /// six). Cron counts within the minute, hour or day, so the interval must divide it evenly.
    /// </summary>
    public static string CronOf(TimeSpan interval)
    {
        var seconds = (long)interval.TotalSeconds;
        if (interval.Ticks % TimeSpan.TicksPerSecond != 0 || seconds < 1)
        {
            throw new ArgumentException($"A periodic interval is whole seconds, at least 1: {interval} is not.", nameof(interval));
        }
        return seconds switch
        {
            < 60 when 60 % seconds == 0 => seconds == 1 ? "* * * * * *" : $"*/{seconds} * * * * *",
            < 3600 when seconds % 60 == 0 && 60 % (seconds / 60) == 0 => seconds == 60 ? "* * * * *" : $"*/{seconds / 60} * * * *",
            < 86400 when seconds % 3600 == 0 && 24 % (seconds / 3600) == 0 => $"0 */{seconds / 3600} * * *",
            86400 => "0 0 * * *",
            _ => throw new ArgumentException($"A periodic interval must divide a minute, an hour or a day evenly: {interval} does not.", nameof(interval)),
        };
    }
}
