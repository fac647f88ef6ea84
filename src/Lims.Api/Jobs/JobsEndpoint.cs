using System.Globalization;
using System.Text.Json.Nodes;
using Hangfire;
using Hangfire.Storage;
using Lims.Storage;

namespace Lims.Jobs;

/// <summary>
/// <c>GET /jobs</c>: the jobs page's data, as JSON, from Hangfire's monitoring API: the servers, the counts by state,
/// the recurring jobs, the latest jobs of each state with a plain-language description, and the outbox requests not
/// yet handed to Hangfire. The dashboard at <c>/hangfire</c> has the rest (retry, delete, full history).
/// </summary>
public static class JobsEndpoint
{
    private const int PerState = 20;
    private const int MaxRequests = 200;

    public static WebApplication MapLimsJobs(this WebApplication app)
    {
        app.MapGet("/jobs", List).WithTags("Jobs").WithSummary("Hangfire's servers, recurring jobs and latest jobs, and pending job requests")
            .WithDescription($"From Hangfire's monitoring API: servers, statistics, recurring jobs (cron, next and last run), up to {PerState} jobs per state " +
                $"(processing, enqueued, scheduled, failed, succeeded) with a description, then up to {MaxRequests} outbox requests not yet relayed, by due time.");
        app.UseLimsJobsDashboard();
        return app;
    }

    private static async Task<IResult> List(JobStorage storage, JobDispatcher dispatcher, DocumentStore store, CancellationToken ct)
    {
        var monitoring = storage.GetMonitoringApi();
        var statistics = monitoring.GetStatistics();
        var result = new JsonObject
        {
            ["storage"] = storage.ToString(),
            ["statistics"] = new JsonObject
            {
                ["servers"] = statistics.Servers,
                ["enqueued"] = statistics.Enqueued,
                ["scheduled"] = statistics.Scheduled,
                ["processing"] = statistics.Processing,
                ["succeeded"] = statistics.Succeeded,
                ["failed"] = statistics.Failed,
                ["recurring"] = statistics.Recurring,
            },
            ["servers"] = new JsonArray([.. monitoring.Servers().Select(server => (JsonNode)new JsonObject
            {
                ["name"] = server.Name,
                ["workers"] = server.WorkersCount,
                ["queues"] = new JsonArray([.. server.Queues.Select(q => (JsonNode)q)]),
                ["started_at"] = Time(server.StartedAt),
                ["heartbeat"] = Time(server.Heartbeat),
            })]),
            ["recurring"] = Recurring(storage, dispatcher),
            ["jobs"] = Jobs(monitoring, dispatcher),
        };
        var (requests, total) = await PendingRequestsAsync(store, dispatcher, ct);
        result["requests_total"] = total;
        result["requests"] = requests;
        return Results.Text(result.ToJsonString(), "application/json; charset=utf-8");
    }

    private static JsonArray Recurring(JobStorage storage, JobDispatcher dispatcher)
    {
        using var connection = storage.GetConnection();
        return new JsonArray([.. connection.GetRecurringJobs().OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => (JsonNode)new JsonObject
        {
            ["id"] = r.Id,
            ["description"] = dispatcher.Describe(r.Job),
            ["cron"] = r.Cron,
            ["next_run"] = Time(r.NextExecution),
            ["last_run"] = Time(r.LastExecution),
            ["last_state"] = r.LastJobState,
            ["error"] = r.Error,
        })]);
    }

    /// <summary>The latest jobs of each state, newest first within a state.</summary>
    private static JsonArray Jobs(IMonitoringApi monitoring, JobDispatcher dispatcher)
    {
        var rows = new JsonArray();
        void Add(string state, string id, Hangfire.Common.Job? job, DateTime? at, string? error, string? server = null)
        {
            var (name, key) = JobDispatcher.Identify(job);
            rows.Add(new JsonObject
            {
                ["id"] = id,
                ["state"] = state,
                ["job"] = name,
                ["key"] = key,
                ["description"] = dispatcher.Describe(job),
                ["at"] = Time(at),
                ["error"] = error,
                ["server"] = server,
            });
        }
        foreach (var (id, job) in monitoring.ProcessingJobs(0, PerState))
        {
            Add("processing", id, job.Job, job.StartedAt, null, job.ServerId);
        }
        foreach (var queue in monitoring.Queues())
        {
            foreach (var (id, job) in monitoring.EnqueuedJobs(queue.Name, 0, PerState))
            {
                Add("enqueued", id, job.Job, job.EnqueuedAt, null);
            }
        }
        foreach (var (id, job) in monitoring.ScheduledJobs(0, PerState))
        {
            Add("scheduled", id, job.Job, job.EnqueueAt, null);
        }
        foreach (var (id, job) in monitoring.FailedJobs(0, PerState))
        {
            Add("failed", id, job.Job, job.FailedAt, job.ExceptionMessage is { } message ? $"{job.ExceptionType}: {message}" : job.Reason);
        }
        foreach (var (id, job) in monitoring.SucceededJobs(0, PerState))
        {
            Add("succeeded", id, job.Job, job.SucceededAt, null);
        }
        return rows;
    }

    private static Task<(JsonArray Rows, long Total)> PendingRequestsAsync(DocumentStore store, JobDispatcher dispatcher, CancellationToken ct) => store.ReadAsync(async session =>
    {
        await using var command = session.Command(
            $"SELECT job, key, due_at, requested_at FROM {JobRequestsTable.Table} ORDER BY due_at, job, key LIMIT {MaxRequests}");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new JsonArray();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new JsonObject
            {
                ["job"] = reader.GetString(0),
                ["key"] = reader.GetString(1),
                ["description"] = dispatcher.Describe(reader.GetString(0), reader.GetString(1)),
                ["due_at"] = reader.GetString(2),
                ["requested_at"] = reader.GetString(3),
            });
        }
        await reader.DisposeAsync();
        await using var count = session.Command($"SELECT COUNT(*) FROM {JobRequestsTable.Table}");
        return (rows, Convert.ToInt64(await count.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture));
    }, ct);

    /// <summary>Hangfire's times are UTC <see cref="DateTime"/>s of kind Unspecified on some storages.</summary>
    private static string? Time(DateTime? time) =>
        time is { } t ? Validation.DocumentNormalizer.FormatTime(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc))) : null;
}
