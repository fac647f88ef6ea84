using Lims.Jobs;
using Lims.OData;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Lims.Workflow;

public static class WorkflowRegistration
{
    /// <summary>
    /// The task and acquisition lifecycles: the state-machine write hook, the bound actions, the jobs (progress,
    /// QC, completion, re-plan, watchdog, sweep) and the Hangfire runner that drives them.
    /// </summary>
    public static IServiceCollection AddLimsWorkflow(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WorkflowOptions>().Bind(configuration.GetSection(WorkflowOptions.Section));
        var options = configuration.GetSection(WorkflowOptions.Section).Get<WorkflowOptions>() ?? new WorkflowOptions();

        services.AddSingleton<IODataExtension, WorkflowActions>();
        services.ConfigureSwaggerGen(o => o.DocumentFilter<WorkflowActionsFilter>());

        // A better evaluator registered earlier (the quality report) wins; this tile count is the fallback.
        services.TryAddSingleton<IAcquisitionEvaluator, TileCountEvaluator>();
        services.AddSingleton<TaskReconciler>();
        services.AddSingleton<IJobHandler, QcJob>();
        foreach (var job in new[] { JobNames.Progress, JobNames.Completion, JobNames.Replan })
        {
            services.AddSingleton<IJobHandler>(provider => new TaskJob(job, provider.GetRequiredService<TaskReconciler>()));
        }
        services.AddSingleton<Watchdog>();
        services.AddSingleton<IPeriodicJob>(provider => provider.GetRequiredService<Watchdog>());
        services.AddSingleton<Sweep>();
        services.AddSingleton<IPeriodicJob>(provider => provider.GetRequiredService<Sweep>());

        return services.AddLimsJobs(configuration,
        [
            new(Sweep.JobName, options.SweepInterval),
            new(Watchdog.JobName, options.WatchdogInterval),
        ]);
    }
}
