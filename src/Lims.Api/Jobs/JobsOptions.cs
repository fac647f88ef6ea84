namespace Lims.Jobs;

/// <summary>The job runner's settings; they live in the <c>Workflow</c> section with the lifecycle's timings (TimeSpan values as <c>hh:mm:ss</c>).</summary>
public sealed class JobsOptions
{
    public const string Section = "Workflow";

    /// <summary>Start the Quartz scheduler that runs the jobs. Off only for tests that call the jobs themselves.</summary>
    public bool RunJobs { get; set; } = true;

    /// <summary>How often the outbox of job requests is polled.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A request repeated before it runs moves later (debounce), but not once the oldest unserved request is this old:
    /// under a continuous stream of writes (a microscope posting tiles) the work still runs this often.
    /// </summary>
    public TimeSpan MaxDebounce { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How many due requests one poll claims at most.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>How long a claimed request is hidden from other nodes; after that a crashed node's claim is taken over.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>First retry delay of a failed job request; doubles per attempt, with jitter, up to <see cref="JobRetryMax"/>.</summary>
    public TimeSpan JobRetryBase { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan JobRetryMax { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a cluster node checks in; another node takes over its triggers after a missed check-in.</summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(10);
}
