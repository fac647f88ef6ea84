using Hangfire.Common;

namespace Lims.Jobs;

/// <summary>
/// The one class Hangfire runs: a requested job by name and key, or a periodic job by name. Hangfire stores only
/// these names and keys, so renaming a handler class does not orphan the jobs already stored.
/// </summary>
public sealed class JobDispatcher(IEnumerable<IJobHandler> handlers, IEnumerable<IPeriodicJob> periodic)
{
    private readonly Dictionary<string, IJobHandler> _handlers = handlers.ToDictionary(h => h.Job, StringComparer.Ordinal);
    private readonly Dictionary<string, IPeriodicJob> _periodic = periodic.ToDictionary(p => p.Name, StringComparer.Ordinal);

    public Task RunAsync(string job, string key, CancellationToken ct) =>
        (_handlers.GetValueOrDefault(job) ?? throw new InvalidOperationException($"No handler is registered for job '{job}'.")).RunAsync(key, ct);

    public Task RunPeriodicAsync(string name, CancellationToken ct) =>
        (_periodic.GetValueOrDefault(name) ?? throw new InvalidOperationException($"No periodic job is named '{name}'.")).RunAsync(ct);

    /// <summary>The job's name (<c>qc</c>, <c>sweep</c>) and key as stored by Hangfire, or nulls for a job that is not Lims's.</summary>
    public static (string? Name, string? Key) Identify(Job? job) => job switch
    {
        { Method.Name: nameof(RunAsync), Args: [string name, string key, ..] } => (name, key),
        { Method.Name: nameof(RunPeriodicAsync), Args: [string name, ..] } => (name, null),
        _ => (null, null),
    };

    /// <summary>What the job does, in plain words, for the dashboard and the jobs page.</summary>
    public string Describe(Job? job) => Identify(job) switch
    {
        (string name, var key) => Describe(name, key),
        _ => job?.ToString() ?? "(no job data)",
    };

    /// <summary>A requested job (with its key) or a periodic one (without), in plain words.</summary>
    public string Describe(string name, string? key) => key is null
        ? _periodic.TryGetValue(name, out var work) ? work.Description : $"Unknown periodic job '{name}'"
        : _handlers.TryGetValue(name, out var handler) ? handler.Describe(key) : $"Unknown job '{name}' for {key}";
}
