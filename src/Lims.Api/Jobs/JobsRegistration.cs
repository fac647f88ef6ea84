using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Lims.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Lims.Jobs;

public static class JobsRegistration
{
    /// <summary>
    /// The job runner: Hangfire, its storage following the documents' store (<see cref="JobStorageFactory"/>), the
    /// outbox relay feeding it, and the given periodic jobs as recurring jobs. Every node gets Hangfire's client and
    /// monitoring (the jobs page, the dashboard); the server and the relay run only when <see cref="JobsOptions.RunJobs"/>.
    /// </summary>
    public static IServiceCollection AddLimsJobs(this IServiceCollection services, IConfiguration configuration, IReadOnlyList<PeriodicSchedule> periodic)
    {
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection(JobsOptions.Section));
        services.AddSingleton<ISchemaContributor, QuartzTablesDrop>();
        services.AddSingleton<OutboxRelay>();
        services.AddSingleton<JobRequestSignal>();
        services.AddSingleton<JobDispatcher>();

        // Hangfire's defaults are process-wide statics (JobStorage.Current, the global activator); tests run several
        // hosts in one process, so each host's storage, activator and filters are its own services, registered
        // before AddHangfire so that its TryAdd keeps them.
        services.AddSingleton(provider => JobStorageFactory.Create(
            provider.GetRequiredService<IOptions<StorageOptions>>().Value, provider.GetRequiredService<IOptions<JobsOptions>>().Value));
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton<IJobFilterProvider, RetryFilterProvider>();
        services.AddHangfire(_ => { });
        // AddHangfire's configuration also points Hangfire's static logging at this host: see HangfireLogBridge.
        services.Replace(ServiceDescriptor.Singleton<IGlobalConfiguration>(provider =>
        {
            HangfireLogBridge.Use(provider.GetRequiredService<ILoggerFactory>());
            return GlobalConfiguration.Configuration
                .UseLogProvider(HangfireLogBridge.Instance)
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
        }));
        services.AddAntiforgery();

        if (!ReadOrDefault<JobsOptions>(configuration, JobsOptions.Section).RunJobs)
        {
            return services;
        }
        services.AddHangfireServer((provider, server) =>
        {
            var options = provider.GetRequiredService<IOptions<JobsOptions>>().Value;
            server.WorkerCount = options.WorkerCount;
            server.Queues = [.. options.QueueList];
            server.SchedulePollingInterval = options.PollInterval;
            server.ServerCheckInterval = TimeSpan.FromSeconds(30);
            // Jobs see the stop as cancellation; an unfinished one is fetched again by the next server.
            server.ShutdownTimeout = TimeSpan.FromSeconds(5);
        });
        services.AddSingleton(periodic);
        services.AddHostedService<RecurringJobsRegistrar>();
        services.AddHostedService<OutboxRelayService>();
        return services;
    }

    /// <summary>Registration needs RunJobs now; a value that cannot be read falls back here, and the settings validation stops the start with a clear message.</summary>
    private static T ReadOrDefault<T>(IConfiguration configuration, string section) where T : new()
    {
        try
        {
            return configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException)
        {
            return new T();
        }
    }
}
