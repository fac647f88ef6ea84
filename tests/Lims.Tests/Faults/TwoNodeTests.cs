using System.Net;
using System.Text.Json.Nodes;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.Faults;

/// <summary>
/// Two service nodes on one PostgreSQL database, written to at once: every create is acknowledged by exactly one node,
/// an action on the same document succeeds on one node only (the other is told 409, never 412), identical ingests sent
/// to both nodes are all answered 200 and store each tile once.
/// </summary>
public sealed class TwoNodeTests
{
    [PostgresFact]
    public async Task Racing_writes_through_two_nodes_are_acknowledged_once_and_stored_once()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("twonode");
        using var first = new LimsApp(StoreKind.Postgres, connectionString);
        using var second = new LimsApp(StoreKind.Postgres, connectionString);
        using var a = first.CreateClient();
        using var b = second.CreateClient();
        HttpClient[] nodes = [a, b];

        // The same 50 creates through both nodes at once.
        var prefix = $"TN{Guid.NewGuid():N}"[..12];
        var creates = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            nodes[i % 2].PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = $"{prefix}-{i / 2}" })));
        Assert.All(creates, r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.Conflict, r.ToString()));
        Assert.Equal(50, creates.Count(r => r.Status == HttpStatusCode.Created));
        Assert.Equal("50", (await a.GetJsonAsync($"/odata/Specimens/$count?$filter=startswith(specimen_id,'{prefix}-')")).Body!.GetValue<string>());

        // The same action through both nodes.
        var lab = await new LabBuilder(a).WithAcquisitionAsync(10, 50);
        var actions = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            nodes[i % 2].PostJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')/Lims.MarkAcquired", null)));
        Assert.Single(actions, r => r.Status == HttpStatusCode.OK);
        Assert.All(actions.Where(r => r.Status != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.Status));

        // The same ingest through both nodes.
        var tiles = new JsonArray([.. Enumerable.Range(0, 500).Select(i => lab.Tile(i / 50, i % 50, 50))]);
        var ingests = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            nodes[i % 2].PostJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')/tiles", tiles.DeepClone())));
        Assert.All(ingests, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(500, ingests.Sum(r => r.Object["inserted"]!.GetValue<int>()));
        Assert.Equal("500", (await b.GetJsonAsync($"/odata/Tiles/$count?$filter=acquisition_id eq '{lab.AcquisitionId}'")).Body!.GetValue<string>());
        var acquisition = (await b.GetJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')")).Object;
        Assert.True(acquisition["tile_count"]!.GetValue<int>() == 500, acquisition.ToJsonString());
    }
}
