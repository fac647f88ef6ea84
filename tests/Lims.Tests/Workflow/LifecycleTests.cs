using System.Net;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.Workflow;

/// <summary>
/// The lifecycle end to end, with the real Hangfire runner polling fast: the client only posts acquisitions and
/// tiles and marks acquisitions acquired; every status change after that is made by the jobs.
/// </summary>
public abstract class LifecycleTests(FastJobsFixture store)
{
    // Test clients send the bootstrap admin key; history names the key as the cause.
    private const string Admin = Lims.Auth.ApiKeyService.BootstrapName;

    private readonly HttpClient _client = store.Client;

    [Fact]
    public async Task Happy_path_ends_Completed_with_no_manual_status_write()
    {
        var lab = await new LabBuilder(_client).WithAcquisitionAsync(rows: 2, cols: 2);
        await Lifecycle.WaitForStatusAsync(_client, "AcquisitionTasks", lab.TaskId, "In Progress");
        await Lifecycle.PostTilesAsync(lab, lab.AcquisitionId, 2, 2, 4);
        Assert.Equal(HttpStatusCode.OK, (await Lifecycle.ActAsync(_client, "Acquisitions", lab.AcquisitionId, "MarkAcquired")).Status);

        var task = await Lifecycle.WaitForStatusAsync(_client, "AcquisitionTasks", lab.TaskId, "Completed");
        Assert.NotNull(task["started_at"]);
        Assert.NotNull(task["completed_at"]);
        Assert.Equal(1, task["version"]!.GetValue<long>());
        Assert.Equal("qc-passed", await Lifecycle.StatusAsync(_client, "Acquisitions", lab.AcquisitionId));
        Assert.Equal(
            [(null, "Planned", Admin), ("Planned", "In Progress", "job:progress"), ("In Progress", "Completed", "job:completion")],
            await Lifecycle.HistoryAsync(_client, "TaskEvents", "task_id", lab.TaskId));
        Assert.Equal(
            [(null, "imaging", Admin), ("imaging", "acquired", Admin), ("acquired", "qc-pending", "job:qc"), ("qc-pending", "qc-passed", "job:qc")],
            await Lifecycle.HistoryAsync(_client, "AcquisitionEvents", "acquisition_id", lab.AcquisitionId));
    }

    [Fact]
    public async Task Reimaging_ends_Completed_on_version_2_with_the_replacement()
    {
        var lab = await new LabBuilder(_client).WithAcquisitionAsync(rows: 2, cols: 2);
        await Lifecycle.PostTilesAsync(lab, lab.AcquisitionId, 2, 2, 3);
        await Lifecycle.ActAsync(_client, "Acquisitions", lab.AcquisitionId, "MarkAcquired");
        await Lifecycle.WaitForStatusAsync(_client, "Acquisitions", lab.AcquisitionId, "to be re-imaged");
        var replanned = await Lifecycle.WaitForStatusAsync(_client, "AcquisitionTasks", lab.TaskId, "Planned", version: 2);
        Assert.Equal(2, replanned["version"]!.GetValue<long>());
        Assert.NotNull(replanned["metadata"]?["not_before"]);

        var second = lab.Acquisition($"{lab.AcquisitionId}-2", 2, 2);
        second["replaces_acquisition_id"] = lab.AcquisitionId;
        await lab.Create("Acquisitions", second);
        await Lifecycle.PostTilesAsync(lab, $"{lab.AcquisitionId}-2", 2, 2, 4);
        await Lifecycle.ActAsync(_client, "Acquisitions", $"{lab.AcquisitionId}-2", "MarkAcquired");

        var task = await Lifecycle.WaitForStatusAsync(_client, "AcquisitionTasks", lab.TaskId, "Completed");
        Assert.Equal(2, task["version"]!.GetValue<long>());
        var replacement = await Lifecycle.GetAsync(_client, "Acquisitions", $"{lab.AcquisitionId}-2");
        Assert.Equal(lab.AcquisitionId, replacement["replaces_acquisition_id"]!.GetValue<string>());
        Assert.Equal(2, replacement["task_version"]!.GetValue<long>());
        Assert.Equal(
            ["Planned", "In Progress", "Planned", "In Progress", "Completed"],
            (await Lifecycle.HistoryAsync(_client, "TaskEvents", "task_id", lab.TaskId)).Select(e => e.To));
    }

    [Fact]
    public async Task Retries_exhausted_ends_Failed_with_the_reason()
    {
        var lab = await new LabBuilder(_client).WithAcquisitionAsync(rows: 2, cols: 2);
        await Lifecycle.ActAsync(_client, "Acquisitions", lab.AcquisitionId, "Fail", "stage drift");
        await Lifecycle.WaitForStatusAsync(_client, "AcquisitionTasks", lab.TaskId, "Planned", version: 2);

        var second = lab.Acquisition($"{lab.AcquisitionId}-2", 2, 2);
        second["replaces_acquisition_id"] = lab.AcquisitionId;
        await lab.Create("Acquisitions", second);
        await Lifecycle.ActAsync(_client, "Acquisitions", $"{lab.AcquisitionId}-2", "MarkAcquired");

        // MaxRetries is 1 here: the second unusable attempt fails the task.
        var task = await Lifecycle.WaitForStatusAsync(_client, "AcquisitionTasks", lab.TaskId, "Failed");
        Assert.Equal(2, task["version"]!.GetValue<long>());
        Assert.Contains($"{lab.AcquisitionId}-2", task["error_message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("retries are used", task["error_message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobs_endpoint_lists_the_Hangfire_server_recurring_jobs_and_requests()
    {
        var reply = await HttpJson.GetJsonAsync(_client, "/jobs");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var recurring = reply.Object["recurring"]!.AsArray();
        Assert.Equal(["sweep", "watchdog"], recurring.Select(j => j!["id"]!.GetValue<string>()));
        // SweepInterval is 5 s here, WatchdogInterval the default minute.
        Assert.Equal(["*/5 * * * * *", "* * * * *"], recurring.Select(j => j!["cron"]!.GetValue<string>()));
        Assert.All(recurring, j => Assert.NotNull(j!["next_run"]));
        Assert.StartsWith("Repair lost triggers", recurring[0]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        var server = Assert.Single(reply.Object["servers"]!.AsArray())!;
        Assert.Equal(["default"], server["queues"]!.AsArray().Select(q => q!.GetValue<string>()));
        Assert.Equal(2, server["workers"]!.GetValue<int>()); // Workflow:WorkerCount of every test host (LimsApp)
        Assert.NotNull(reply.Object["requests"]);
    }
}

public sealed class LifecycleTestsSqlite(FastJobsSqlite store) : LifecycleTests(store), IClassFixture<FastJobsSqlite>;

public sealed class LifecycleTestsPostgres(FastJobsPostgres store) : LifecycleTests(store), IClassFixture<FastJobsPostgres>;
