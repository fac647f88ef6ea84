namespace Lims.Jobs;

/// <summary>
/// The job runner's settings; they live in the <c>Workflow</c> section with the lifecycle's timings (TimeSpan values
/// as <c>hh:mm:ss</c>). Where the jobs are stored is not a setting: Hangfire's storage follows <c>Storage:Provider</c>.
/// </summary>
public sealed class JobsOptions
{
    public const string Section = "Workflow";

    /// <summary>Run the Hangfire server and the outbox relay on this node. Off only for tests that call the jobs themselves.</summary>
    public bool RunJobs { get; set; } = true;

    /// <summary>How often the outbox is relayed into Hangfire, and how often Hangfire polls its queues and its schedule.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A request repeated before it is relayed moves later (debounce), but not once the oldest unserved request is this
    /// old: under a continuous stream of writes (a microscope posting tiles) the work still runs this often.
    /// </summary>
    public TimeSpan MaxDebounce { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How many due requests one relay pass hands to Hangfire at most.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>How long a relay's claim hides a request from other nodes' relays; after that a crashed relay's claim is taken over.</summary>
    public TimeSpan RelayLease { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Hangfire workers on this node (jobs run at the same time).</summary>
    public int WorkerCount { get; set; } = 10;

    /// <summary>The Hangfire queues this node serves, comma-separated, in priority order.</summary>
    public string Queues { get; set; } = "default";

    /// <summary>
    /// How long a fetched job stays hidden from other nodes. On PostgreSQL a running job keeps renewing it (sliding), so
    /// it only runs out when its node died: another node then runs the job after at most this plus <see cref="PollInterval"/>.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Retries of a failing job (Hangfire's retry filter) before it stays failed in the dashboard.</summary>
    public int JobRetryAttempts { get; set; } = 10;

    /// <summary>First retry delay of a failing job; doubles per attempt up to <see cref="JobRetryMax"/> (whole seconds, at least 1).</summary>
    public TimeSpan JobRetryBase { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan JobRetryMax { get; set; } = TimeSpan.FromMinutes(10);

    public IReadOnlyList<string> QueueList => [.. Queues.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>The retry delays in seconds, one per attempt: base × 2^(attempt − 1), capped.</summary>
    public int[] RetryDelaysInSeconds() =>
    [
        .. Enumerable.Range(0, Math.Max(JobRetryAttempts, 0)).Select(attempt =>
            (int)Math.Clamp(Math.Ceiling(JobRetryBase.TotalSeconds * Math.Pow(2, Math.Min(attempt, 30))), 1, Math.Max(1, Math.Ceiling(JobRetryMax.TotalSeconds)))),
    ];
}
