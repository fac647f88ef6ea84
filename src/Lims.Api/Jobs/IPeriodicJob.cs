namespace Lims.Jobs;

/// <summary>Work that runs on a schedule rather than per request (sweep, watchdog); Quartz fires it once per interval across the cluster.</summary>
public interface IPeriodicJob
{
    string Name { get; }

    Task RunAsync(CancellationToken ct);
}

/// <summary>A periodic job and how often it fires.</summary>
public sealed record PeriodicSchedule(string Name, TimeSpan Interval);
