using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.Options;

namespace Lims.Jobs;

/// <summary>
/// Hangfire's filters with its retry filter set from the settings: Hangfire's global filters carry a default
/// <see cref="AutomaticRetryAttribute"/> (10 attempts, its own delays) that is replaced here rather than changed in place,
/// because that list is static and shared by every host in the process.
/// </summary>
public sealed class RetryFilterProvider(IOptions<JobsOptions> options) : IJobFilterProvider
{
    private readonly JobFilter _retry = new(new AutomaticRetryAttribute
    {
        Attempts = options.Value.JobRetryAttempts,
        // Hangfire refuses an empty list: with no retries there are no delays to give.
        DelaysInSeconds = options.Value.RetryDelaysInSeconds() is { Length: > 0 } delays ? delays : null,
        OnAttemptsExceeded = AttemptsExceededAction.Fail,
    }, JobFilterScope.Global, order: null);

    public IEnumerable<JobFilter> GetFilters(Job job) =>
        JobFilterProviders.Providers.GetFilters(job).Where(filter => filter.Instance is not AutomaticRetryAttribute).Append(_retry);
}
