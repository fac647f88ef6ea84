using System.Net;
using Hangfire;
using Lims.Jobs;
using Lims.Storage;
using Lims.Tests.Infrastructure;
using Lims.Tests.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace Lims.Tests.Jobs;

/// <summary>Hangfire as Lims runs it, on each store: where it keeps its data, retries, the dashboard behind the key, the upgrade from Quartz.</summary>
public abstract class HangfireRunnerTests(FastJobsFixture store)
{
    private readonly HttpClient _client = store.Client;

    private T Get<T>() where T : notnull => store.App.Services.GetRequiredService<T>();

    [Fact]
    public async Task The_lifecycle_jobs_run_as_Hangfire_jobs()
    {
        var lab = await new LabBuilder(_client).WithAcquisitionAsync(rows: 1, cols: 1);
        await Lifecycle.PostTilesAsync(lab, lab.AcquisitionId, 1, 1, 1);
        await Lifecycle.ActAsync(_client, "Acquisitions", lab.AcquisitionId, "MarkAcquired");
        await Lifecycle.WaitForStatusAsync(_client, "AcquisitionTasks", lab.TaskId, "Completed");

        // Hangfire records a job as succeeded just after its write is visible: wait (bounded) for the last one.
        List<(string? Name, string? Key)> succeeded = [];
        for (var i = 0; i < 100 && succeeded.Distinct().Count() < 3; i++)
        {
            await Task.Delay(i == 0 ? 0 : 100);
            succeeded = [.. Get<JobStorage>().GetMonitoringApi().SucceededJobs(0, 10_000)
                .Select(j => JobDispatcher.Identify(j.Value.Job)).Where(j => j.Name is "progress" or "qc" or "completion" && (j.Key == lab.TaskId || j.Key == lab.AcquisitionId))];
        }
        Assert.Contains(("progress", lab.TaskId), succeeded);
        Assert.Contains(("qc", lab.AcquisitionId), succeeded);
        Assert.Contains(("completion", lab.TaskId), succeeded);
    }

    [Fact]
    public async Task A_failing_job_is_retried_by_Hangfire_as_the_settings_say_then_left_failed_with_its_error()
    {
        var key = Guid.NewGuid().ToString("N");
        await Get<DocumentStore>().WriteAsync(async s => { await Get<IJobRequests>().EnqueueAsync(s, "no-such-job", key, TimeSpan.Zero, default); return 0; }, default);

        var monitoring = Get<JobStorage>().GetMonitoringApi();
        string? id = null;
        for (var i = 0; i < 300 && id is null; i++)
        {
            await Task.Delay(100);
            id = monitoring.FailedJobs(0, 1000).FirstOrDefault(j => JobDispatcher.Identify(j.Value.Job).Key == key).Key;
        }
        Assert.True(id is not null, "the failing job did not end Failed within 30 s");
        var details = monitoring.JobDetails(id);
        // JobRetryAttempts is 1 here: the first run, one retry after JobRetryBase (1 s), then Failed.
        Assert.Equal(2, details.History.Count(state => state.StateName == "Processing"));
        Assert.Contains(details.History, state => state.StateName == "Scheduled" && state.Reason?.Contains("Retry attempt 1 of 1", StringComparison.Ordinal) == true);
        Assert.Contains("No handler is registered for job 'no-such-job'", details.History[0].Data["ExceptionMessage"], StringComparison.Ordinal);

        var listed = (await _client.GetJsonAsync("/jobs")).Object["jobs"]!.AsArray().Single(j => j!["id"]!.GetValue<string>() == id)!;
        Assert.Equal("failed", listed["state"]!.GetValue<string>());
        Assert.Contains("No handler", listed["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal($"Unknown job 'no-such-job' for {key}", listed["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_dashboard_answers_an_admin_a_viewer_reading_but_not_writing_and_nobody_without_a_key()
    {
        using var anonymous = store.App.CreateAnonymousClient();
        using var viewer = await store.ClientForRoleAsync("viewer");

        var admin = await _client.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("Lims jobs", await admin.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/hangfire/recurring")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/hangfire/jobs/failed")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/hangfire/stats")).StatusCode);

        using var trigger = new FormUrlEncodedContent([new("jobs[]", "sweep")]);
        var write = await viewer.PostAsync("/hangfire/recurring/trigger", trigger);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/hangfire/recurring/trigger", trigger)).StatusCode);
    }

    [Fact]
    public async Task A_browser_gets_in_with_the_cookie_the_jobs_page_sets_and_only_the_dashboard_reads_it()
    {
        using var viewer = await store.ClientForRoleAsync("viewer");
        var session = await viewer.PostAsync(JobsDashboard.SessionPath, null);
        Assert.Equal(HttpStatusCode.NoContent, session.StatusCode);
        var cookie = Assert.Single(session.Headers.GetValues("Set-Cookie"));
        Assert.Contains("path=/hangfire", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using var browser = store.App.CreateAnonymousClient();
        browser.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/hangfire")).StatusCode);
        // Anywhere else the cookie is no key: a cross-site form could not write with it.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostJsonAsync("/odata/Specimens", new System.Text.Json.Nodes.JsonObject { ["specimen_id"] = "COOKIE" })).Status);

        using var forged = store.App.CreateAnonymousClient();
        forged.DefaultRequestHeaders.Add("Cookie", $"{Lims.Auth.ApiKeyAuthenticationHandler.DashboardCookie}=not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task Hangfire_keeps_its_data_beside_the_documents_with_no_setting_of_its_own()
    {
        if (store.Kind == StoreKind.Postgres)
        {
            var tables = await Get<DocumentStore>().ReadAsync(async s =>
            {
                await using var command = s.Command("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'hangfire' AND table_name IN ('job', 'jobqueue', 'server')");
                return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            }, default);
            Assert.Equal(3, tables);
        }
        else
        {
            var file = JobStorageFactory.SqlitePath(store.App.ConnectionString);
            Assert.Equal(Path.GetDirectoryName(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(store.App.ConnectionString).DataSource), Path.GetDirectoryName(file));
            Assert.True(new FileInfo(file).Length > 0);
        }
        Assert.NotEmpty(Get<JobStorage>().GetMonitoringApi().Servers());
    }

    [Fact]
    public async Task Quartz_tables_left_by_an_older_version_are_dropped_on_upgrade()
    {
        await Get<DocumentStore>().WriteAsync(async s =>
        {
            await s.ExecuteAsync("CREATE TABLE IF NOT EXISTS qrtz_job_details (sched_name VARCHAR(120) NOT NULL, job_name VARCHAR(200) NOT NULL, PRIMARY KEY (sched_name, job_name))", default);
            await s.ExecuteAsync("CREATE TABLE IF NOT EXISTS qrtz_triggers (sched_name VARCHAR(120) NOT NULL, trigger_name VARCHAR(200) NOT NULL, job_name VARCHAR(200) NOT NULL, " +
                "PRIMARY KEY (sched_name, trigger_name), FOREIGN KEY (sched_name, job_name) REFERENCES qrtz_job_details (sched_name, job_name))", default);
            await s.ExecuteAsync("INSERT INTO qrtz_job_details VALUES ('Lims', 'outbox')", default);
            await s.ExecuteAsync("INSERT INTO qrtz_triggers VALUES ('Lims', 'outbox', 'outbox')", default);
            return 0;
        }, default);
        Assert.Equal(2, await QuartzTablesAsync());

        await store.App.Services.MigrateLimsStoreAsync(default);
        Assert.Equal(0, await QuartzTablesAsync());
    }

    private Task<long> QuartzTablesAsync() => Get<DocumentStore>().ReadAsync(async s =>
    {
        await using var command = s.Command(store.Kind == StoreKind.Postgres
            ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'qrtz%'"
            : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 'qrtz%'");
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }, default);
}

public sealed class HangfireRunnerTestsSqlite(FastJobsSqlite store) : HangfireRunnerTests(store), IClassFixture<FastJobsSqlite>;

public sealed class HangfireRunnerTestsPostgres(FastJobsPostgres store) : HangfireRunnerTests(store), IClassFixture<FastJobsPostgres>;

/// <summary>Periodic intervals as Hangfire cron expressions.</summary>
public sealed class RecurringScheduleTests
{
    [Theory]
    [InlineData("00:00:01", "* * * * * *")]
    [InlineData("00:00:05", "*/5 * * * * *")]
    [InlineData("00:01:00", "* * * * *")]
    [InlineData("00:15:00", "*/15 * * * *")]
    [InlineData("02:00:00", "0 */2 * * *")]
    [InlineData("1.00:00:00", "0 0 * * *")]
    public void An_interval_becomes_the_cron_that_fires_that_often(string interval, string cron) =>
        Assert.Equal(cron, RecurringJobsRegistrar.CronOf(TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("00:00:07")]
    [InlineData("00:00:00.500")]
    [InlineData("00:07:00")]
    public void An_interval_cron_cannot_express_is_refused(string interval) =>
        Assert.Throws<ArgumentException>(() => RecurringJobsRegistrar.CronOf(TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Retry_delays_double_from_the_base_up_to_the_cap()
    {
        var options = new JobsOptions { JobRetryAttempts = 6, JobRetryBase = TimeSpan.FromSeconds(5), JobRetryMax = TimeSpan.FromSeconds(60) };
        Assert.Equal([5, 10, 20, 40, 60, 60], options.RetryDelaysInSeconds());
    }
}
