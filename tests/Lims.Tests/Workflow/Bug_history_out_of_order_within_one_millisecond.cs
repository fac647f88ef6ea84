using System.Net;
using System.Text.Json.Nodes;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.Workflow;

/// <summary>
/// A task's creation and its first transition made in the same millisecond came back from the history (ordered by
/// event_id) in either order now and then: version 7 Guids are random after their millisecond. The fixture's clock
/// stands still, so every event of this test has the same time.
/// </summary>
public sealed class Bug_history_out_of_order_within_one_millisecond(ClockSqlite store) : IClassFixture<ClockSqlite>
{
    [Fact]
    public async Task Transitions_made_in_one_tick_keep_their_order()
    {
        var client = store.Client;
        var lab = await new LabBuilder(client).WithRoiAsync();
        for (var i = 0; i < 20; i++)
        {
            var id = $"{lab.Prefix}-T{i}";
            await lab.Create("AcquisitionTasks", new JsonObject { ["task_id"] = id, ["roi_id"] = lab.RoiId, ["status"] = "Planned" });
            var reply = await client.PatchJsonAsync($"/odata/AcquisitionTasks('{id}')", new JsonObject { ["status"] = "In Progress" });
            Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());

            var history = await Lifecycle.HistoryAsync(client, "TaskEvents", "task_id", id);

            Assert.Equal([(null, "Planned"), ("Planned", "In Progress")], history.Select(e => (e.From, e.To)));
        }
    }
}
