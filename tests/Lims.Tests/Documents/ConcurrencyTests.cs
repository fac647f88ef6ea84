using System.Net;
using System.Text.Json.Nodes;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.Documents;

/// <summary>Concurrent writers neither collide on server-assigned keys nor overwrite each other's updates.</summary>
public abstract class ConcurrencyTests(StoreFixture store)
{
    private readonly HttpClient _client = store.Client;

    [Fact]
    public async Task Parallel_roi_creates_get_distinct_keys()
    {
        var lab = await new LabBuilder(_client).WithRoiAsync();
        var replies = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ =>
            _client.PostJsonAsync("/odata/ROIs", new JsonObject { ["section_id"] = lab.SectionId })));
        Assert.All(replies, r => Assert.True(r.Status == HttpStatusCode.Created, r.ToString()));
        Assert.Equal(16, replies.Select(r => r.Object["roi_id"]!.GetValue<long>()).Distinct().Count());
    }

    [Fact]
    public async Task Of_racing_updates_with_the_same_etag_exactly_one_wins()
    {
        var lab = await new LabBuilder(_client).WithRoiAsync();
        var url = $"/odata/Specimens('{lab.SpecimenId}')";
        var etag = (await _client.GetJsonAsync(url)).Response.Headers.ETag!.ToString();
        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            _client.PatchJsonAsync(url, new JsonObject { ["description"] = $"writer {i}" }, ("If-Match", etag))));
        Assert.Single(replies, r => r.Status == HttpStatusCode.OK);
        Assert.All(replies.Where(r => r.Status != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.PreconditionFailed, r.Status));
        var winner = replies.Single(r => r.Status == HttpStatusCode.OK).Object["description"]!.GetValue<string>();
        Assert.Equal(winner, (await _client.GetJsonAsync(url)).Object["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Racing_creates_of_the_same_key_store_one_document()
    {
        var id = $"SP-{Guid.NewGuid():N}";
        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            _client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = id, ["description"] = $"writer {i}" })));
        Assert.Single(replies, r => r.Status == HttpStatusCode.Created);
        Assert.All(replies.Where(r => r.Status != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.Status));
    }
}

public sealed class ConcurrencyTests_Sqlite(SqliteStore store) : ConcurrencyTests(store), IClassFixture<SqliteStore>;

public sealed class ConcurrencyTests_Postgres(PostgresStore store) : ConcurrencyTests(store), IClassFixture<PostgresStore>;
