using System.Net;
using System.Text.Json.Nodes;
using Lims.Documents;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.Documents;

/// <summary>
/// Every write path applies the same rules and answers what really happened: the bulk ingest refuses what a single
/// write refuses, with the same message; nothing fails after the commit; racing writers without a precondition are
/// never told one failed; identical parallel ingests get the same answer on both stores.
/// </summary>
public abstract class WritePipelineTests(StoreFixture store)
{
    private HttpClient Client => store.Client;

    public static TheoryData<string> Keys => ["ü-1", "中文-1", "rtl-\u202E-1", "emoji-😀-1", "quote-'-1", "space and/slash?#%"];

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task A_non_ascii_key_is_created_once_and_its_location_is_percent_encoded(string suffix)
    {
        var id = $"{Guid.NewGuid():N}"[..8] + suffix;
        var reply = await Client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = id });
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        var location = reply.Response.Headers.Location!;
        Assert.True(location.OriginalString.All(char.IsAscii), location.OriginalString);

        var read = await Client.GetJsonAsync(location.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(id, read.Object["specimen_id"]!.GetValue<string>());
        // A client retrying the create is told it exists: it was stored once.
        Assert.Equal(HttpStatusCode.Conflict, (await Client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = id })).Status);
    }

    [Fact]
    public async Task Single_posts_of_acquisitions_and_tiles_with_non_ascii_keys_answer_201()
    {
        var lab = await new LabBuilder(Client).WithAcquisitionAsync();
        var acquisition = lab.Acquisition($"{lab.Prefix}-ü-ACQ", 2, 2);
        var created = await Client.PostJsonAsync("/odata/Acquisitions", acquisition);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var tile = lab.Tile(0, 0, 5);
        tile["tile_id"] = $"{lab.Prefix}-中文-tile";
        Assert.Equal(HttpStatusCode.Created, (await Client.PostJsonAsync("/odata/Tiles", tile)).Status);
    }

    public static TheoryData<string, string, string> LoneSurrogates => new()
    {
        { "/odata/Specimens", "{\"specimen_id\":\"SUR-1\\ud800\"}", "application/json" },
        { "/odata/Specimens", "{\"specimen_id\":\"SUR-2\",\"description\":\"x\\udc00y\"}", "application/json" },
        { "/odata/Specimens", "{\"specimen_id\":\"SUR-3\",\"\\ud800name\":1}", "application/json" },
        { "/odata/Specimens", "[{\"specimen_id\":\"SUR-4\\ud800\"}]", "application/json" },
        { "tiles", "{\"tile_id\":\"SUR-5\\ud800\"}\n", "application/x-ndjson" },
        { "tiles", "[{\"tile_id\":\"SUR-6\",\"\\udfffx\":1}]", "application/json" },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogates))]
    public async Task A_lone_surrogate_anywhere_is_a_400_that_stores_nothing(string url, string body, string contentType)
    {
        var lab = await new LabBuilder(Client).WithAcquisitionAsync();
        var target = url == "tiles" ? $"/odata/Acquisitions('{lab.AcquisitionId}')/tiles" : url;
        var reply = await Client.PostRawJsonAsync(target, body, contentType);
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("InvalidText", reply.ErrorCode);
        Assert.Equal("0", (await Client.GetJsonAsync("/odata/Specimens/$count?$filter=startswith(specimen_id,'SUR-')")).Body!.GetValue<string>());
        Assert.Equal("0", (await Client.GetJsonAsync($"/odata/Tiles/$count?$filter=acquisition_id eq '{lab.AcquisitionId}'")).Body!.GetValue<string>());
    }

    [Fact]
    public async Task Bulk_ingest_refuses_overlong_strings_with_the_message_a_single_write_gives()
    {
        var lab = await new LabBuilder(Client).WithAcquisitionAsync();
        var longId = lab.Tile(0, 0, 5);
        longId["tile_id"] = new string('t', 9_000);
        var longPath = lab.Tile(0, 1, 5);
        longPath["image_path"] = new string('p', 100_000);

        foreach (var tile in new[] { longId, longPath })
        {
            var single = await Client.PostJsonAsync("/odata/Tiles", tile.DeepClone());
            var bulk = await Client.PostJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')/tiles", new JsonArray(tile.DeepClone()));
            Assert.Equal(HttpStatusCode.BadRequest, single.Status);
            Assert.Equal(HttpStatusCode.BadRequest, bulk.Status);
            Assert.Equal(single.Body!["error"]!["message"]!.GetValue<string>(), bulk.Body!["error"]!["message"]!.GetValue<string>());
            Assert.Equal(single.ErrorTargets.Select(t => "[0]/" + t), bulk.ErrorTargets);
        }
        Assert.Equal("0", (await Client.GetJsonAsync($"/odata/Tiles/$count?$filter=acquisition_id eq '{lab.AcquisitionId}'")).Body!.GetValue<string>());
    }

    [Fact]
    public async Task A_message_listing_several_problems_has_no_doubled_punctuation()
    {
        var lab = await new LabBuilder(Client).WithAcquisitionAsync();
        var tile = lab.Tile(0, 0, 5);
        tile["focus_score"] = "sharp";
        tile["raster_index"] = "first";
        var reply = await Client.PostJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')/tiles", new JsonArray(tile));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        var message = reply.Body!["error"]!["message"]!.GetValue<string>();
        Assert.Contains("2 invalid fields", message, StringComparison.Ordinal);
        Assert.DoesNotContain(".;", message, StringComparison.Ordinal);
        Assert.DoesNotContain("..", message, StringComparison.Ordinal);
        Assert.EndsWith(".", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parallel_actions_without_if_match_are_never_told_a_precondition_failed()
    {
        var lab = await new LabBuilder(Client).WithAcquisitionAsync();
        var url = $"/odata/Acquisitions('{lab.AcquisitionId}')/Lims.MarkAcquired";
        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Client.PostJsonAsync(url, null)));

        Assert.DoesNotContain(replies, r => r.Status == HttpStatusCode.PreconditionFailed);
        Assert.Single(replies, r => r.Status == HttpStatusCode.OK);
        Assert.All(replies.Where(r => r.Status != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.Status));
        var history = await Client.GetJsonAsync($"/odata/AuditEntries?$filter=entity_key eq '{lab.AcquisitionId}' and action eq 'Lims.MarkAcquired'&$count=true");
        Assert.Equal(1, history.Object["@odata.count"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_action_with_a_stale_if_match_is_still_a_412()
    {
        var lab = await new LabBuilder(Client).WithAcquisitionAsync();
        var stale = (await Client.GetJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')")).Response.Headers.ETag!.Tag;
        Assert.Equal(HttpStatusCode.OK, (await Client.PatchJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')", new JsonObject { ["start_time"] = "2026-03-05T10:00:01Z" })).Status);
        var reply = await Client.PostJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')/Lims.MarkAcquired", null, ("If-Match", stale));
        Assert.Equal(HttpStatusCode.PreconditionFailed, reply.Status);
    }

    [Fact]
    public async Task Identical_parallel_ingests_all_answer_200_and_store_the_tiles_once()
    {
        var lab = await new LabBuilder(Client).WithAcquisitionAsync(20, 50);
        var tiles = new JsonArray([.. Enumerable.Range(0, 1000).Select(i => lab.Tile(i / 50, i % 50, 50))]);
        var url = $"/odata/Acquisitions('{lab.AcquisitionId}')/tiles";
        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Client.PostJsonAsync(url, tiles.DeepClone())));

        Assert.All(replies, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(1000, replies.Sum(r => r.Object["inserted"]!.GetValue<int>()));
        Assert.Equal(7000, replies.Sum(r => r.Object["skipped_existing"]!.GetValue<int>()));
        Assert.Equal("1000", (await Client.GetJsonAsync($"/odata/Tiles/$count?$filter=acquisition_id eq '{lab.AcquisitionId}'")).Body!.GetValue<string>());
        Assert.Equal(1000, (await Client.GetJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')")).Object["tile_count"]!.GetValue<int>());
    }
}

public sealed class SqliteWritePipelineTests(SqliteStore store) : WritePipelineTests(store), IClassFixture<SqliteStore>;

public sealed class PostgresWritePipelineTests(PostgresStore store) : WritePipelineTests(store), IClassFixture<PostgresStore>;

/// <summary>The declared hook order is the order hooks run in, and nothing unlisted slips in.</summary>
public sealed class WriteHookOrderTests
{
    [Fact]
    public void Every_hook_runs_after_the_hooks_it_needs()
    {
        var position = WriteHooks.Order.Select((slot, i) => (slot.Hook, i)).ToDictionary(x => x.Hook, x => x.i);
        Assert.All(WriteHooks.Order, slot => Assert.All(slot.Needs, need => Assert.True(position[need] < position[slot.Hook], $"{slot.Hook.Name} needs {need.Name}")));
        Assert.Equal(typeof(Lims.Audit.AuditWriteHook), WriteHooks.Order[^1].Hook);
    }

    [Fact]
    public void Hooks_are_sorted_by_the_declared_order_whatever_order_they_come_in_and_an_unlisted_one_is_refused()
    {
        using var app = new LimsApp(StoreKind.Sqlite, $"Data Source={Path.Combine(Path.GetTempPath(), $"lims-test-{Guid.NewGuid():N}.db")}");
        var registered = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetServices<IDocumentWriteHook>(app.Services).ToList();
        Assert.Equal(WriteHooks.Order.Select(s => s.Hook), WriteHooks.Sort(Enumerable.Reverse(registered)).Select(h => h.GetType()));
        Assert.Throws<InvalidOperationException>(() => WriteHooks.Sort([.. registered, new StrayHook()]));
    }

    private sealed class StrayHook : IDocumentWriteHook
    {
        public Task OnWriteAsync(WriteContext context, CancellationToken ct) => Task.CompletedTask;
    }
}
