using System.Net;
using System.Text.Json.Nodes;
using Lims.Collections.Definitions;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.Workflow;

/// <summary>
/// Every pair again, through the real write path: a document created in one status, then PATCHed to another.
/// The hook enforces the same table as the actions and jobs (no bypass), and records what it allowed.
/// </summary>
public abstract class TransitionWriteTests(NoJobsFixture store)
{
    // Test clients send the bootstrap admin key; history names the key as the cause.
    private const string Admin = Lims.Auth.ApiKeyService.BootstrapName;

    private readonly HttpClient _client = store.Client;

    [Fact]
    public async Task Every_task_status_write_follows_the_table()
    {
        var lab = await new LabBuilder(_client).WithRoiAsync();
        var i = 0;
        foreach (var from in AcquisitionTasks.Statuses)
        {
            foreach (var to in AcquisitionTasks.Statuses.Where(s => s != from))
            {
                var id = $"{lab.Prefix}-T{i++}";
                await lab.Create("AcquisitionTasks", new JsonObject { ["task_id"] = id, ["roi_id"] = lab.RoiId, ["status"] = from });
                var reply = await _client.PatchJsonAsync($"/odata/AcquisitionTasks('{id}')", new JsonObject { ["status"] = to });
                var legal = StateMachineTests.LegalTask.Contains($"{from}>{to}");
                Assert.True(reply.Status == (legal ? HttpStatusCode.OK : HttpStatusCode.Conflict), $"{from} → {to}: {reply}");
                Assert.Equal(legal ? to : from, await Lifecycle.StatusAsync(_client, "AcquisitionTasks", id));
                var history = await Lifecycle.HistoryAsync(_client, "TaskEvents", "task_id", id);
                Assert.Equal(legal ? [(null, from, Admin), (from, to, Admin)] : [(null, from, Admin)], history);
            }
        }
    }

    [Fact]
    public async Task Every_acquisition_status_write_follows_the_table()
    {
        var lab = await new LabBuilder(_client).WithRoiAsync();
        await lab.Create("AcquisitionTasks", new JsonObject { ["task_id"] = lab.TaskId, ["roi_id"] = lab.RoiId });
        var i = 0;
        foreach (var from in Acquisitions.Statuses)
        {
            foreach (var to in Acquisitions.Statuses.Where(s => s != from))
            {
                var id = $"{lab.Prefix}-A{i++}";
                var document = lab.Acquisition(id, 2, 2);
                document["status"] = from;
                await lab.Create("Acquisitions", document);
                var reply = await _client.PatchJsonAsync($"/odata/Acquisitions('{id}')", new JsonObject { ["status"] = to });
                var legal = StateMachineTests.LegalAcquisition.Contains($"{from}>{to}");
                Assert.True(reply.Status == (legal ? HttpStatusCode.OK : HttpStatusCode.Conflict), $"{from} → {to}: {reply}");
                if (!legal)
                {
                    Assert.Equal("IllegalTransition", reply.ErrorCode);
                    Assert.Contains($"from '{from}' to '{to}'", reply.Body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
                }
                Assert.Equal(legal ? to : from, await Lifecycle.StatusAsync(_client, "Acquisitions", id));
            }
        }
    }

    [Fact]
    public async Task A_terminal_acquisition_status_is_written_once()
    {
        var lab = await new LabBuilder(_client).WithAcquisitionAsync();
        var url = $"/odata/Acquisitions('{lab.AcquisitionId}')";
        Assert.Equal(HttpStatusCode.OK, (await Lifecycle.ActAsync(_client, "Acquisitions", lab.AcquisitionId, "MarkAcquired")).Status);
        Assert.Equal(HttpStatusCode.OK, (await _client.PatchJsonAsync(url, new JsonObject { ["status"] = "qc-pending" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await _client.PatchJsonAsync(url, new JsonObject { ["status"] = "qc-passed" })).Status);
        // The same terminal status again changes nothing; a different one is refused.
        Assert.Equal(HttpStatusCode.OK, (await _client.PatchJsonAsync(url, new JsonObject { ["status"] = "qc-passed" })).Status);
        var second = await _client.PatchJsonAsync(url, new JsonObject { ["status"] = "to be re-imaged" });
        Assert.Equal(HttpStatusCode.Conflict, second.Status);
        Assert.Contains("from 'qc-passed' to 'to be re-imaged'", second.Body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var acquisition = await Lifecycle.GetAsync(_client, "Acquisitions", lab.AcquisitionId);
        Assert.Equal("qc-passed", acquisition["status"]!.GetValue<string>());
        Assert.NotNull(acquisition["end_time"]);
        Assert.Equal(1, acquisition["task_version"]!.GetValue<long>());
    }

    [Fact]
    public async Task Actions_move_through_the_same_table_and_record_the_reason()
    {
        var lab = await new LabBuilder(_client).WithAcquisitionAsync();
        var fail = await Lifecycle.ActAsync(_client, "Acquisitions", lab.AcquisitionId, "Fail");
        Assert.Equal(HttpStatusCode.BadRequest, fail.Status);
        Assert.Contains("reason", fail.ErrorTargets);

        var started = await Lifecycle.ActAsync(_client, "AcquisitionTasks", lab.TaskId, "Start");
        Assert.Equal(HttpStatusCode.OK, started.Status);
        Assert.Equal("In Progress", started.Object["status"]!.GetValue<string>());
        Assert.NotNull(started.Object["started_at"]);
        Assert.Equal(HttpStatusCode.Conflict, (await Lifecycle.ActAsync(_client, "AcquisitionTasks", lab.TaskId, "Start")).Status);

        var aborted = await Lifecycle.ActAsync(_client, "AcquisitionTasks", lab.TaskId, "Abort", "sample damaged");
        Assert.Equal(HttpStatusCode.OK, aborted.Status);
        Assert.NotNull(aborted.Object["completed_at"]);
        // Aborting the task also aborts its acquisition still imaging, in the same transaction.
        Assert.Equal("aborted", await Lifecycle.StatusAsync(_client, "Acquisitions", lab.AcquisitionId));
        var events = await HttpJson.GetJsonAsync(_client, $"/odata/AcquisitionEvents?$filter=acquisition_id eq '{lab.AcquisitionId}' and to_status eq 'aborted'");
        Assert.Equal("sample damaged", Assert.Single(events.Value)!["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await Lifecycle.ActAsync(_client, "AcquisitionTasks", lab.TaskId, "Replan")).Status);
    }

    [Fact]
    public async Task History_is_read_only_and_actions_are_in_metadata()
    {
        var post = await _client.PostJsonAsync("/odata/TaskEvents", new JsonObject { ["event_id"] = "x", ["task_id"] = "T", ["to_status"] = "Planned", ["at"] = "2026-01-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.Status);
        var metadata = await HttpJson.GetJsonAsync(_client, "/odata/$metadata");
        var xml = metadata.Body!.GetValue<string>();
        foreach (var action in new[] { "Start", "Abort", "Replan", "MarkAcquired", "Fail" })
        {
            Assert.Contains($"<Action Name=\"{action}\" IsBound=\"true\"", xml, StringComparison.Ordinal);
        }
        var swagger = await HttpJson.GetJsonAsync(_client, "/swagger/v1/swagger.json");
        Assert.NotNull(swagger.Object["paths"]!["/odata/Acquisitions('{key}')/Lims.MarkAcquired"]);
        Assert.NotNull(swagger.Object["paths"]!["/jobs"]);
    }
}

public sealed class TransitionWriteTestsSqlite(NoJobsSqlite store) : TransitionWriteTests(store), IClassFixture<NoJobsSqlite>;

public sealed class TransitionWriteTestsPostgres(NoJobsPostgres store) : TransitionWriteTests(store), IClassFixture<NoJobsPostgres>;
