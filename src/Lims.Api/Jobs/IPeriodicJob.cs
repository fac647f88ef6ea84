namespace Lims.Jobs;

/// <summary>Work that runs on a schedule rather than per request (sweep, watchdog): a Hangfire recurring job, once per occurrence across the nodes.</summary>
public interface IPeriodicJob
{
    string Name { get; }

    /// <summary>What the job does, in the words of the jobs page.</summary>
    string Description { get; }

    Task RunAsync(CancellationToken ct);
}

/// <summary>A periodic job and how often it fires.</summary>
public sealed record PeriodicSchedule(string Name, TimeSpan Interval);
