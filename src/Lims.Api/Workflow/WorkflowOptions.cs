namespace Lims.Workflow;

/// <summary>Configuration section <c>Workflow</c>: the lifecycle's timings and limits (the job runner's are in <see cref="Jobs.JobsOptions"/>, same section) (TimeSpan values as <c>hh:mm:ss</c>).</summary>
public sealed class WorkflowOptions
{
    public const string Section = "Workflow";

    /// <summary>How often the sweep looks for work whose trigger was lost.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a state must have stood before the sweep treats its trigger as lost.</summary>
    public TimeSpan SweepGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the watchdog looks for idle work.</summary>
    public TimeSpan WatchdogInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>An imaging acquisition with no write and no new tile for this long is aborted.</summary>
    public TimeSpan AcquisitionIdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>An In Progress task with no write to it or its acquisitions (or their tiles) for this long is failed.</summary>
    public TimeSpan TaskIdleTimeout { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How many times a task goes back to Planned (version + 1) before it is failed.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Delay before a re-planned task is offered again: base × 2^(retry − 1), with ±50 % jitter.</summary>
    public TimeSpan ReplanBackoffBase { get; set; } = TimeSpan.FromMinutes(5);
}
