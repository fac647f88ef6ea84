using System.Collections.Concurrent;
using System.Net;
using Lims.Jobs;
using Lims.Storage;
using Lims.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Lims.Tests.Workflow;

/// <summary>Two Lims nodes on one PostgreSQL database share Hangfire's storage (schema <c>hangfire</c>) and the outbox.</summary>
public sealed class MultiNodeTests
{
    private const string CountJob = "count";

    /// <summary>Counts how often each key ran, across both nodes.</summary>
    private sealed class CountingHandler : IJobHandler
    {
        public ConcurrentDictionary<string, int> Runs { get; } = new();

        public string Job => CountJob;

        public string Describe(string key) => $"Count a run of {key}";

        public async Task RunAsync(string key, CancellationToken ct)
        {
            Runs.AddOrUpdate(key, 1, (_, n) => n + 1);
            await Task.Delay(5, ct);
        }
    }

    private static (LimsApp App, WebApplicationFactory<Program> Node) StartNode(string connectionString, CountingHandler counter)
    {
        var app = new LimsApp(StoreKind.Postgres, connectionString, FastJobsFixture.FastSettings);
        var node = app.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IJobHandler>(counter)));
        _ = node.Server;
        return (app, node);
    }

    [PostgresFact]
    public async Task Two_nodes_run_each_job_request_exactly_once_and_converge()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("multinode");
        var counter = new CountingHandler();
        var (appA, nodeA) = StartNode(connectionString, counter);
        var (appB, nodeB) = StartNode(connectionString, counter);
        try
        {
            const int Requests = 60;
            var jobs = nodeA.Services.GetRequiredService<IJobRequests>();
            await nodeA.Services.GetRequiredService<DocumentStore>().WriteAsync(async session =>
            {
                for (var i = 0; i < Requests; i++)
                {
                    await jobs.EnqueueAsync(session, CountJob, $"k{i}", TimeSpan.Zero, default);
                }
                return 0;
            }, default);

            // The lifecycle too, written through node B while both nodes run jobs.
            var client = nodeB.CreateClient();
            var lab = await new LabBuilder(client).WithAcquisitionAsync(rows: 1, cols: 2);
            await Lifecycle.PostTilesAsync(lab, lab.AcquisitionId, 1, 2, 2);
            Assert.Equal(HttpStatusCode.OK, (await Lifecycle.ActAsync(client, "Acquisitions", lab.AcquisitionId, "MarkAcquired")).Status);
            await Lifecycle.WaitForStatusAsync(client, "AcquisitionTasks", lab.TaskId, "Completed");

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (counter.Runs.Count < Requests && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            await Task.Delay(1000); // a second run would show up within the poll interval
            Assert.Equal(Requests, counter.Runs.Count);
            Assert.All(counter.Runs, run => Assert.Equal(1, run.Value));

            Assert.Equal(
                ["Planned", "In Progress", "Completed"],
                (await Lifecycle.HistoryAsync(client, "TaskEvents", "task_id", lab.TaskId)).Select(e => e.To));
            Assert.Equal(
                ["imaging", "acquired", "qc-pending", "qc-passed"],
                (await Lifecycle.HistoryAsync(client, "AcquisitionEvents", "acquisition_id", lab.AcquisitionId)).Select(e => e.To));
            var cluster = await HttpJson.GetJsonAsync(client, "/jobs");
            Assert.Equal(2, cluster.Object["servers"]!.AsArray().Count);
        }
        finally
        {
            nodeA.Dispose();
            nodeB.Dispose();
            appA.Dispose();
            appB.Dispose();
        }
    }

    [PostgresFact]
    public async Task Restarted_host_picks_up_where_the_old_one_stopped() => await RestartAsync(StoreKind.Postgres);

    [Fact]
    public async Task Restarted_host_picks_up_where_the_old_one_stopped_on_sqlite() => await RestartAsync(StoreKind.Sqlite);

    /// <summary>The first host takes the writes but dies before running any job; a new host on the same store finishes the work.</summary>
    private static async Task RestartAsync(StoreKind kind)
    {
        var first = await LimsApp.StartAsync(kind, new Dictionary<string, string?> { ["Workflow:RunJobs"] = "false" });
        try
        {
            var connectionString = first.ConnectionString;
            var client = first.CreateClient();
            var lab = await new LabBuilder(client).WithAcquisitionAsync(rows: 1, cols: 1);
            await Lifecycle.PostTilesAsync(lab, lab.AcquisitionId, 1, 1, 1);
            await Lifecycle.ActAsync(client, "Acquisitions", lab.AcquisitionId, "MarkAcquired");
            Assert.Equal("Planned", await Lifecycle.StatusAsync(client, "AcquisitionTasks", lab.TaskId));
            client.Dispose();
            // Keep the SQLite file: stop only the host, not the store.
            await first.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHost>().StopAsync();

            // The second host must stop before the first one's disposal deletes the store under it.
            using var second = new LimsApp(kind, connectionString, FastJobsFixture.FastSettings);
            var again = second.CreateClient();
            await Lifecycle.WaitForStatusAsync(again, "AcquisitionTasks", lab.TaskId, "Completed");
            Assert.Equal("qc-passed", await Lifecycle.StatusAsync(again, "Acquisitions", lab.AcquisitionId));
        }
        finally
        {
            first.Dispose();
        }
    }
}
