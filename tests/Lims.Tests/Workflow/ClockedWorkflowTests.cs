using System.Net;
using Lims.Jobs;
using Lims.Storage;
using Lims.Tests.Infrastructure;
using Lims.Workflow;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Lims.Tests.Workflow;

/// <summary>The time-based logic (watchdog, back-off, debounce, sweep) on a fake clock, running the relayed jobs directly instead of through Hangfire.</summary>
public abstract class ClockedWorkflowTests(ClockFixture store)
{
    private readonly HttpClient _client = store.Client;
    private FakeTimeProvider Clock => store.App.Clock!;
    private T Get<T>() where T : notnull => store.App.Services.GetRequiredService<T>();

    [Fact]
    public async Task Watchdog_aborts_an_idle_acquisition_then_fails_the_idle_task()
    {
        var lab = await new LabBuilder(_client).WithAcquisitionAsync();
        await RunDueJobsAsync();
        Assert.Equal("In Progress", await Lifecycle.StatusAsync(_client, "AcquisitionTasks", lab.TaskId));

        // A tile 20 minutes in keeps the acquisition alive past its own 30-minute timeout.
        Clock.Advance(TimeSpan.FromMinutes(20));
        await Lifecycle.PostTilesAsync(lab, lab.AcquisitionId, 4, 5, 1);
        Clock.Advance(TimeSpan.FromMinutes(20));
        await Get<Watchdog>().RunOnceAsync(default);
        Assert.Equal("imaging", await Lifecycle.StatusAsync(_client, "Acquisitions", lab.AcquisitionId));

        Clock.Advance(TimeSpan.FromMinutes(11));
        await Get<Watchdog>().RunOnceAsync(default);
        Assert.Equal("aborted", await Lifecycle.StatusAsync(_client, "Acquisitions", lab.AcquisitionId));
        Assert.Equal("In Progress", await Lifecycle.StatusAsync(_client, "AcquisitionTasks", lab.TaskId));

        Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        await Get<Watchdog>().RunOnceAsync(default);
        var task = await Lifecycle.GetAsync(_client, "AcquisitionTasks", lab.TaskId);
        Assert.Equal("Failed", task["status"]!.GetValue<string>());
        Assert.Contains("No activity", task["error_message"]!.GetValue<string>(), StringComparison.Ordinal);
        var history = await Lifecycle.HistoryAsync(_client, "TaskEvents", "task_id", lab.TaskId);
        Assert.Equal(("In Progress", "Failed", "job:watchdog"), history[^1]);
    }

    [Fact]
    public async Task A_replanned_task_is_offered_again_only_after_its_backoff()
    {
        var lab = await new LabBuilder(_client).WithAcquisitionAsync();
        await Lifecycle.ActAsync(_client, "Acquisitions", lab.AcquisitionId, "Fail", "vacuum lost");
        await RunDueJobsAsync();

        var task = await Lifecycle.GetAsync(_client, "AcquisitionTasks", lab.TaskId);
        Assert.Equal(("Planned", 2L), (task["status"]!.GetValue<string>(), task["version"]!.GetValue<long>()));
        var notBefore = DateTimeOffset.Parse(task["metadata"]!["not_before"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        // Base 10 minutes, first retry, ±50 % jitter.
        Assert.InRange(notBefore - Clock.GetUtcNow(), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15));

        var early = await Lifecycle.ActAsync(_client, "AcquisitionTasks", lab.TaskId, "Start");
        Assert.Equal(HttpStatusCode.Conflict, early.Status);
        Assert.Equal("NotYetOffered", early.ErrorCode);
        Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.OK, (await Lifecycle.ActAsync(_client, "AcquisitionTasks", lab.TaskId, "Start")).Status);
    }

    [Fact]
    public async Task A_claimed_request_is_relayed_once_and_a_crashed_relays_claim_expires()
    {
        var key = Guid.NewGuid().ToString("N");
        await Get<DocumentStore>().WriteAsync(async s => { await Get<IJobRequests>().EnqueueAsync(s, "no-such-job", key, TimeSpan.Zero, default); return 0; }, default);
        var handed = new List<JobRequest>();
        Task Collect(JobRequest request, CancellationToken ct)
        {
            handed.Add(request);
            return Task.CompletedTask;
        }
        // The relay dies while handing over: the request stays, claimed, hidden from the next pass...
        await Assert.ThrowsAsync<IOException>(() => Get<OutboxRelay>().RelayDueAsync((r, _) => r.Key == key ? throw new IOException("node died") : Task.CompletedTask, default));
        await Get<OutboxRelay>().RelayDueAsync(Collect, default);
        Assert.DoesNotContain(handed, r => r.Key == key);
        // ...until its lease (RelayLease, 10 s) runs out; then it is handed over once and removed.
        Clock.Advance(TimeSpan.FromSeconds(11));
        await Get<OutboxRelay>().RelayDueAsync(Collect, default);
        await Get<OutboxRelay>().RelayDueAsync(Collect, default);
        Assert.Equal([new JobRequest("no-such-job", key)], handed.Where(r => r.Key == key));
    }

    [Fact]
    public async Task A_repeated_request_is_debounced_but_runs_within_the_debounce_limit()
    {
        var key = Guid.NewGuid().ToString("N");
        var start = Clock.GetUtcNow();
        async Task<DateTimeOffset> RequestAgainAsync()
        {
            await Get<DocumentStore>().WriteAsync(async s => { await Get<IJobRequests>().EnqueueAsync(s, "no-such-job", key, TimeSpan.FromSeconds(5), default); return 0; }, default);
            return await DueAsync("no-such-job", key);
        }

        Assert.Equal(start + TimeSpan.FromSeconds(5), await RequestAgainAsync());
        // A write every 4 s, as a microscope posting tiles: each one moves the request later, for 15 s (MaxDebounce).
        for (var i = 1; i <= 3; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(4));
            Assert.Equal(Clock.GetUtcNow() + TimeSpan.FromSeconds(5), await RequestAgainAsync());
        }
        Clock.Advance(TimeSpan.FromSeconds(4));
        var capped = await RequestAgainAsync();
        Assert.Equal(start + TimeSpan.FromSeconds(17), capped);
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(capped, await RequestAgainAsync());
    }

    [Fact]
    public async Task Sweep_repairs_a_lost_trigger()
    {
        var lab = await new LabBuilder(_client).WithAcquisitionAsync(rows: 1, cols: 1);
        await Lifecycle.PostTilesAsync(lab, lab.AcquisitionId, 1, 1, 1);
        await Lifecycle.ActAsync(_client, "Acquisitions", lab.AcquisitionId, "MarkAcquired");
        // A crash that lost the requests: nothing would ever move these two again, but for the sweep.
        await Get<DocumentStore>().WriteAsync(s => s.ExecuteAsync(
            "DELETE FROM job_requests WHERE key IN (@task, @acquisition)", default, ("@task", lab.TaskId), ("@acquisition", lab.AcquisitionId)), default);

        Assert.Equal(0, await RunDueJobsAsync() - await RunDueJobsAsync());
        Assert.Equal("Planned", await Lifecycle.StatusAsync(_client, "AcquisitionTasks", lab.TaskId));
        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await Get<Sweep>().RunOnceAsync(default) >= 2);
        await RunDueJobsAsync();
        await RunDueJobsAsync();
        Assert.Equal("qc-passed", await Lifecycle.StatusAsync(_client, "Acquisitions", lab.AcquisitionId));
        await RunDueJobsAsync();
        Assert.Equal("Completed", await Lifecycle.StatusAsync(_client, "AcquisitionTasks", lab.TaskId));
    }

    /// <summary>
    /// Relays the due requests and runs each at once, as a Hangfire worker would; a failing job (another test's
    /// request for a job that does not exist) is left failed, as Hangfire would, instead of stopping the rest.
    /// </summary>
    private Task<int> RunDueJobsAsync() =>
        Get<OutboxRelay>().RelayDueAsync(async (request, ct) =>
        {
            try
            {
                await Get<JobDispatcher>().RunAsync(request.Job, request.Key, ct);
            }
            catch (InvalidOperationException) when (request.Job == "no-such-job")
            {
            }
        }, default);

    private async Task<DateTimeOffset> DueAsync(string job, string key) =>
        DateTimeOffset.Parse((string)(await Get<DocumentStore>().ReadAsync(async s =>
        {
            await using var command = s.Command("SELECT due_at FROM job_requests WHERE job = @job AND key = @key", ("@job", job), ("@key", key));
            return await command.ExecuteScalarAsync();
        }, default))!, System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class ClockedWorkflowTestsSqlite(ClockSqlite store) : ClockedWorkflowTests(store), IClassFixture<ClockSqlite>;

public sealed class ClockedWorkflowTestsPostgres(ClockPostgres store) : ClockedWorkflowTests(store), IClassFixture<ClockPostgres>;
