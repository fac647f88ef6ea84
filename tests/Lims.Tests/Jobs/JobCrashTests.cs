using System.Diagnostics;
using System.Globalization;
using System.Net;
using Lims.Collections.Definitions;
using Lims.Storage;
using Lims.Tests.Infrastructure;
using Lims.Tests.Workflow;

namespace Lims.Tests.Jobs;

/// <summary>
/// The service process is killed (SIGKILL) right after the writes that request jobs, with requests still in the
/// outbox, in Hangfire's queue or running; after a restart every job has done its work exactly once.
/// </summary>
public abstract class JobCrashTests(StoreKind kind)
{
    private const int Labs = 6;
    private static readonly Dictionary<string, string> _fast = new() { ["Workflow:PollInterval"] = "00:00:00.200" };

    [Fact]
    public async Task Killed_with_jobs_pending_then_restarted_every_job_runs_once()
    {
        var connectionString = await NewStoreAsync(kind, "jobcrash");
        var labs = new List<LabBuilder>();
        using (var first = await LimsProcess.StartAsync(kind, connectionString, _fast))
        {
            for (var i = 0; i < Labs; i++)
            {
                var lab = await new LabBuilder(first.Client).WithAcquisitionAsync(rows: 1, cols: 1);
                await Lifecycle.PostTilesAsync(lab, lab.AcquisitionId, 1, 1, 1);
                labs.Add(lab);
            }
            foreach (var lab in labs)
            {
                await Lifecycle.ActAsync(first.Client, "Acquisitions", lab.AcquisitionId, "MarkAcquired");
            }
            first.Kill();
        }
        // The kill came before the jobs were done: otherwise this test would prove nothing.
        Assert.True(await CountNotPassedAsync(kind, connectionString, labs) > 0, "every QC had already run before the kill");

        using (var second = await LimsProcess.StartAsync(kind, connectionString, _fast))
        {
            foreach (var lab in labs)
            {
                // A job the kill interrupted is fetched again after Hangfire's invisibility timeout (20 s), on a busy machine later.
                await Lifecycle.WaitForStatusAsync(second.Client, "AcquisitionTasks", lab.TaskId, "Completed", seconds: 120);
                Assert.Equal(["Planned", "In Progress", "Completed"], (await Lifecycle.HistoryAsync(second.Client, "TaskEvents", "task_id", lab.TaskId)).Select(e => e.To));
                Assert.Equal(["imaging", "acquired", "qc-pending", "qc-passed"],
                    (await Lifecycle.HistoryAsync(second.Client, "AcquisitionEvents", "acquisition_id", lab.AcquisitionId)).Select(e => e.To));
            }
        }
        DeleteSqliteFiles(kind, connectionString);
    }

    internal static async Task<string> NewStoreAsync(StoreKind kind, string name) => kind == StoreKind.Sqlite
        ? $"Data Source={Path.Combine(Path.GetTempPath(), $"lims-{name}-{Guid.NewGuid():N}.db")}"
        : await PostgresServer.CreateDatabaseAsync(name);

    internal static void DeleteSqliteFiles(StoreKind kind, string connectionString)
    {
        if (kind != StoreKind.Sqlite)
        {
            return;
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var store = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        foreach (var file in new[] { store, Lims.Jobs.JobStorageFactory.SqlitePath(connectionString) })
        {
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>Read straight from the store, with no service running.</summary>
    private static async Task<long> CountNotPassedAsync(StoreKind kind, string connectionString, List<LabBuilder> labs)
    {
        var store = new DocumentStore(kind == StoreKind.Postgres ? new PostgresDialect() : new SqliteDialect(), connectionString);
        var ids = string.Join(", ", labs.Select((_, i) => $"@a{i}"));
        return await store.ReadAsync(async session =>
        {
            await using var command = session.Command($"SELECT COUNT(*) FROM {Acquisitions.Definition.Table} WHERE status <> 'qc-passed' AND id IN ({ids})",
                [.. labs.Select((lab, i) => ($"@a{i}", (object?)lab.AcquisitionId))]);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }, default);
    }
}

public sealed class JobCrashSqliteTests() : JobCrashTests(StoreKind.Sqlite);

public sealed class JobCrashPostgresTests() : JobCrashTests(StoreKind.Postgres);

/// <summary>
/// Two service processes on one PostgreSQL database: the node running a QC job is killed (SIGKILL) in the middle of
/// it, and the other node finishes the job within 30 s (Hangfire's sliding invisibility timeout of 20 s, then a poll).
/// </summary>
public sealed class NodeTakeoverTests
{
    [PostgresFact]
    public async Task A_node_killed_mid_job_has_its_job_finished_by_the_other_within_30_s()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("takeover");
        using var nodeA = await LimsProcess.StartAsync(StoreKind.Postgres, connectionString);
        using var nodeB = await LimsProcess.StartAsync(StoreKind.Postgres, connectionString);

        // Hold the acquisition's row: the QC job's first write (acquired → qc-pending) waits on it, so the job is
        // caught mid-run on whichever node fetched it. The lock is taken just after MarkAcquired commits, well before
        // the relay's next pass (1 s); should QC win that race anyway, a new acquisition is tried.
        await using var holder = new Npgsql.NpgsqlConnection(connectionString);
        await holder.OpenAsync();
        LabBuilder? lab = null;
        Npgsql.NpgsqlTransaction? hold = null;
        for (var attempt = 0; attempt < 3 && hold is null; attempt++)
        {
            lab = await new LabBuilder(nodeA.Client).WithAcquisitionAsync(rows: 1, cols: 1);
            await Lifecycle.PostTilesAsync(lab, lab.AcquisitionId, 1, 1, 1);
            Assert.Equal(HttpStatusCode.OK, (await Lifecycle.ActAsync(nodeA.Client, "Acquisitions", lab.AcquisitionId, "MarkAcquired")).Status);
            var transaction = await holder.BeginTransactionAsync();
            await using var lockRow = new Npgsql.NpgsqlCommand($"SELECT status FROM {Acquisitions.Definition.Table} WHERE id = @id FOR UPDATE", holder, transaction);
            lockRow.Parameters.AddWithValue("id", lab.AcquisitionId);
            if ((string?)await lockRow.ExecuteScalarAsync() == "acquired")
            {
                hold = transaction;
            }
            else
            {
                await transaction.RollbackAsync();
            }
        }
        Assert.True(hold is not null && lab is not null, "QC ran before the row could be held, three times");
        var server = await RunningQcServerAsync(nodeB.Client, lab.AcquisitionId);
        var (victim, survivor) = server.Contains($":{nodeA.Id}:", StringComparison.Ordinal) ? (nodeA, nodeB) : (nodeB, nodeA);
        Assert.Contains($":{victim.Id}:", server, StringComparison.Ordinal);

        victim.Kill();
        var clock = Stopwatch.StartNew();
        await hold.RollbackAsync();
        await Lifecycle.WaitForStatusAsync(survivor.Client, "Acquisitions", lab.AcquisitionId, "qc-passed", seconds: 60);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the surviving node finished the QC {clock.Elapsed.TotalSeconds:N1} s after the kill");
        Assert.Equal(["imaging", "acquired", "qc-pending", "qc-passed"],
            (await Lifecycle.HistoryAsync(survivor.Client, "AcquisitionEvents", "acquisition_id", lab.AcquisitionId)).Select(e => e.To));
    }

    /// <summary>The Hangfire server id (host:pid:guid) of the node running QC for the acquisition, as the jobs endpoint shows it.</summary>
    private static async Task<string> RunningQcServerAsync(HttpClient client, string acquisitionId)
    {
        for (var i = 0; i < 150; i++)
        {
            var jobs = (await client.GetJsonAsync("/jobs")).Object["jobs"]!.AsArray();
            if (jobs.FirstOrDefault(j => j!["state"]!.GetValue<string>() == "processing" && j["job"]?.GetValue<string>() == "qc"
                && j["key"]?.GetValue<string>() == acquisitionId) is { } running)
            {
                return running["server"]!.GetValue<string>();
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"No node started the QC of {acquisitionId} within 15 s.");
    }
}
