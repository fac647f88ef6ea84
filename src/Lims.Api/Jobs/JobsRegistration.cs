using Lims.Storage;
using Quartz;

namespace Lims.Jobs;

public static class JobsRegistration
{
    /// <summary>
    /// The job runner: Quartz with its ADO.NET store in the documents' database (PostgreSQL clustered, SQLite
    /// single-node), schema created at start-up, polling the outbox and firing the given periodic jobs.
    /// </summary>
    public static IServiceCollection AddLimsJobs(this IServiceCollection services, IConfiguration configuration, IReadOnlyList<PeriodicSchedule> periodic)
    {
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection(JobsOptions.Section));
        services.AddSingleton<OutboxProcessor>();
        var options = ReadOrDefault<JobsOptions>(configuration, JobsOptions.Section);
        if (!options.RunJobs)
        {
            return services;
        }
        var storage = ReadOrDefault<StorageOptions>(configuration, "Storage");
        services.AddQuartz(q =>
        {
            // Every node uses the same scheduler name: that is what makes them one cluster over the shared tables.
            q.ConfigureScheduler(o => o.InstanceName = "Lims");
            q.UsePersistentStore(store =>
            {
                store.UseSystemTextJsonSerializer();
                if (storage.Provider == StorageProvider.Postgres)
                {
                    store.UsePostgres(storage.EffectiveConnectionString);
                    store.UseClustering(c => c.CheckinInterval = options.ClusterCheckinInterval);
                }
                else
                {
                    store.UseSqlite(storage.EffectiveConnectionString);
                }
                store.ProvisionSchema();
            });
            Schedule<OutboxPollJob>(q, OutboxPollJob.Name, options.PollInterval, "Runs due job requests from the outbox (job_requests)", null);
            foreach (var job in periodic)
            {
                Schedule<PeriodicQuartzJob>(q, job.Name, job.Interval, $"Periodic job '{job.Name}'", job.Name);
            }
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    /// <summary>
    /// Quartz is configured while services are registered, so its settings are read now. A value that cannot be
    /// read falls back to the default here: the settings validation then stops the start with a clear message.
    /// </summary>
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

    private static void Schedule<T>(IQuartzBuilder q, string name, TimeSpan interval, string description, string? work) where T : IJob
    {
        var key = new JobKey(name, "lims");
        q.AddJob<T>(j =>
        {
            j.WithIdentity(key).StoreDurably().WithDescription(description);
            if (work is not null)
            {
                j.UsingJobData(PeriodicQuartzJob.WorkKey, work);
            }
        });
        // A missed firing is not made up: the next poll or sweep covers whatever it would have done.
        q.AddTrigger<T>(t => t.ForJob(key).WithIdentity(name, "lims").StartNow()
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
    }
}
