using System.Text.Json.Nodes;
using Lims.Storage;
using Quartz;

namespace Lims.Jobs;

/// <summary>
/// <c>GET /jobs</c>: what a job dashboard shows, as JSON — the Quartz scheduler (cluster-wide, from the shared
/// store), its jobs with their triggers (state, next and previous fire time), and the outbox of job requests
/// (job, key, due, attempts, last error), oldest due first.
/// </summary>
public static class JobsEndpoint
{
    private const int MaxRequests = 500;

    public static IEndpointRouteBuilder MapLimsJobs(this IEndpointRouteBuilder app)
    {
        app.MapGet("/jobs", ListAsync).WithTags("Jobs").WithSummary("Scheduled jobs, their triggers, and pending job requests")
            .WithDescription($"Quartz jobs and triggers (state, next_fire_time, previous_fire_time), then up to {MaxRequests} outbox requests (job, key, due_at, attempts, last_error) by due time.");
        return app;
    }

    private static async Task<IResult> ListAsync(IServiceProvider services, DocumentStore store, CancellationToken ct)
    {
        var result = new JsonObject
        {
            ["scheduler"] = null,
            ["jobs"] = new JsonArray(),
        };
        if (services.GetService<ISchedulerFactory>() is { } factory)
        {
            var scheduler = await factory.GetScheduler(ct);
            var metadata = await scheduler.GetMetadata(ct);
            var nodes = new JsonArray();
            if (metadata.JobStoreClustered)
            {
                foreach (var node in await scheduler.QueryClusterNodes(ct))
                {
                    nodes.Add(new JsonObject
                    {
                        ["instance_id"] = node.InstanceId,
                        ["current"] = node.IsCurrentNode,
                        ["state"] = node.State.ToString(),
                        ["last_check_in"] = Time(node.LastCheckInUtc),
                    });
                }
            }
            result["scheduler"] = new JsonObject
            {
                ["name"] = metadata.SchedulerName,
                ["instance_id"] = metadata.SchedulerInstanceId,
                ["status"] = metadata.Status.ToString(),
                ["clustered"] = metadata.JobStoreClustered,
                ["persistent"] = metadata.JobStorePersistent,
                ["jobs_executed_here"] = metadata.JobsExecuted,
                ["nodes"] = nodes,
            };
            result["jobs"] = await JobsAsync(scheduler, ct);
        }
        var (requests, total) = await store.ReadAsync(async session =>
        {
            await using var command = session.Command(
                $"SELECT job, key, due_at, requested_at, attempts, last_error FROM {JobRequestsTable.Table} ORDER BY due_at, job, key LIMIT {MaxRequests}");
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new JsonArray();
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new JsonObject
                {
                    ["job"] = reader.GetString(0),
                    ["key"] = reader.GetString(1),
                    ["due_at"] = reader.GetString(2),
                    ["requested_at"] = reader.GetString(3),
                    ["attempts"] = reader.GetInt64(4),
                    ["last_error"] = reader.IsDBNull(5) ? null : reader.GetString(5),
                });
            }
            await reader.DisposeAsync();
            await using var count = session.Command($"SELECT COUNT(*) FROM {JobRequestsTable.Table}");
            return (rows, Convert.ToInt64(await count.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture));
        }, ct);
        result["requests_total"] = total;
        result["requests"] = requests;
        return Results.Text(result.ToJsonString(), "application/json; charset=utf-8");
    }

    private static async Task<JsonArray> JobsAsync(IScheduler scheduler, CancellationToken ct)
    {
        var jobs = new JsonArray();
        foreach (var key in (await scheduler.GetJobKeys(GroupMatcher<JobKey>.AnyGroup(), ct)).OrderBy(k => k.ToString()))
        {
            var detail = await scheduler.GetJobDetail(key, ct);
            var triggers = new JsonArray();
            foreach (var trigger in await scheduler.GetTriggersOfJob(key, ct))
            {
                triggers.Add(new JsonObject
                {
                    ["name"] = trigger.Key.ToString(),
                    ["state"] = (await scheduler.GetTriggerState(trigger.Key, ct)).ToString(),
                    ["next_fire_time"] = Time(trigger.NextFireTimeUtc),
                    ["previous_fire_time"] = Time(trigger.PreviousFireTimeUtc),
                    ["interval_ms"] = (trigger as ISimpleTrigger)?.RepeatInterval.TotalMilliseconds,
                });
            }
            jobs.Add(new JsonObject
            {
                ["name"] = key.ToString(),
                ["description"] = detail?.Description,
                ["concurrent"] = detail?.ConcurrentExecutionDisallowed != true,
                ["triggers"] = triggers,
            });
        }
        return jobs;
    }

    private static string? Time(DateTimeOffset? time) => time is { } t ? Validation.DocumentNormalizer.FormatTime(t) : null;
}
