using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Lims.Jobs;
using Lims.Storage;
using Lims.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Lims.Tests.Ingest;

public abstract class TileIngestTests(StoreFixture store)
{
    private HttpClient Client => store.Client;

    private async Task<LabBuilder> LabAsync(int rows = 4, int cols = 5) => await new LabBuilder(Client).WithAcquisitionAsync(rows, cols);

    private static string TilesUrl(LabBuilder lab) => $"/odata/Acquisitions('{lab.AcquisitionId}')/tiles";

    private static JsonArray Batch(LabBuilder lab, int rows, int cols) =>
        [.. Enumerable.Range(0, rows * cols).Select(i => (JsonNode)lab.Tile(i / cols, i % cols, cols, focus: 0.5 + (i % 10 * 0.01)))];

    private static string Ndjson(JsonArray tiles) => string.Join("\n", tiles.Select(t => t!.ToJsonString())) + "\n";

    private async Task<long> CountAsync(LabBuilder lab) =>
        long.Parse((await HttpJson.GetJsonAsync(Client, $"/odata/Tiles/$count?$filter=acquisition_id eq '{lab.AcquisitionId}'")).Body!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Same_batch_twice_stores_it_once_and_the_second_answer_is_all_skipped()
    {
        var lab = await LabAsync();
        var batch = Batch(lab, 4, 5);

        var first = await Client.PostJsonAsync(TilesUrl(lab), batch);
        var second = await Client.PostJsonAsync(TilesUrl(lab), batch);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(lab.AcquisitionId, first.Object["acquisition_id"]!.GetValue<string>());
        Assert.Equal((20, 20, 0), (first.Object["received"]!.GetValue<int>(), first.Object["inserted"]!.GetValue<int>(), first.Object["skipped_existing"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal((20, 0, 20), (second.Object["received"]!.GetValue<int>(), second.Object["inserted"]!.GetValue<int>(), second.Object["skipped_existing"]!.GetValue<int>()));
        Assert.Equal(20, await CountAsync(lab));
    }

    [Fact]
    public async Task Ndjson_stream_is_ingested_with_ids_filled_from_the_url()
    {
        var lab = await LabAsync(2, 3);
        var batch = Batch(lab, 2, 3);
        foreach (var item in batch)
        {
            item!.AsObject().Remove("acquisition_id");
        }

        var reply = await Client.PostRawJsonAsync(TilesUrl(lab), Ndjson(batch), "application/x-ndjson");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(6, reply.Object["inserted"]!.GetValue<int>());
        var tile = (await HttpJson.GetJsonAsync(Client, $"/odata/Tiles('{lab.AcquisitionId}-r001-c002')")).Object;
        Assert.Equal(lab.AcquisitionId, tile["acquisition_id"]!.GetValue<string>());
        Assert.Equal(lab.RoiId, tile["roi_id"]!.GetValue<long>());
        Assert.Equal(lab.SpecimenId, tile["specimen_id"]!.GetValue<string>());
        Assert.NotNull(tile["created_at"]);
    }

    [Fact]
    public async Task One_conflicting_tile_writes_nothing_and_the_409_lists_its_id()
    {
        var lab = await LabAsync();
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync(TilesUrl(lab), new JsonArray(lab.Tile(0, 0, 5)))).Status);
        var batch = Batch(lab, 4, 5);
        batch[0]!["focus_score"] = 0.11;

        var reply = await Client.PostJsonAsync(TilesUrl(lab), batch);

        Assert.Equal(HttpStatusCode.Conflict, reply.Status);
        Assert.Contains($"Tiles('{lab.AcquisitionId}-r000-c000')", reply.ErrorTargets);
        Assert.Contains($"{lab.AcquisitionId}-r000-c000", reply.Body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(lab));

        var upsert = await Client.PostJsonAsync(TilesUrl(lab) + "?mode=upsert", batch);
        Assert.Equal(HttpStatusCode.OK, upsert.Status);
        Assert.Equal((19, 1, 0), (upsert.Object["inserted"]!.GetValue<int>(), upsert.Object["updated"]!.GetValue<int>(), upsert.Object["skipped_existing"]!.GetValue<int>()));
        Assert.Equal(0.11, (await HttpJson.GetJsonAsync(Client, $"/odata/Tiles('{lab.AcquisitionId}-r000-c000')")).Object["focus_score"]!.GetValue<double>());
    }

    [Fact]
    public async Task Malformed_ndjson_line_is_400_and_writes_nothing()
    {
        var lab = await LabAsync();
        var lines = Ndjson(Batch(lab, 4, 5)).Split('\n');
        lines[7] = "{\"tile_id\": \"broken\", ";

        var reply = await Client.PostRawJsonAsync(TilesUrl(lab), string.Join("\n", lines), "application/x-ndjson");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("MalformedJson", reply.ErrorCode);
        Assert.Contains("[7]", reply.ErrorTargets);
        Assert.Equal(0, await CountAsync(lab));
    }

    [Fact]
    public async Task Invalid_tile_or_contradicting_roi_is_400_naming_the_item_and_writes_nothing()
    {
        var lab = await LabAsync();
        var batch = Batch(lab, 4, 5);
        batch[17]!["roi_id"] = lab.RoiId + 1000;
        batch[3]!["std_value"] = -1;

        var reply = await Client.PostJsonAsync(TilesUrl(lab), batch);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("[17]/roi_id", reply.ErrorTargets);
        Assert.Contains("[3]/std_value", reply.ErrorTargets);
        Assert.Equal(0, await CountAsync(lab));
    }

    [Fact]
    public async Task Unknown_acquisition_is_404()
    {
        var reply = await Client.PostJsonAsync("/odata/Acquisitions('no-such-acquisition')/tiles", new JsonArray(new JsonObject { ["tile_id"] = "x" }));

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
    }

    [Fact]
    public async Task Ingest_keeps_rollups_current_and_requests_the_quality_report_in_the_same_transaction()
    {
        var lab = await LabAsync(2, 2);
        var tiles = new JsonArray(lab.Tile(0, 0, 2, focus: 0.5), lab.Tile(0, 1, 2, focus: 0.7), lab.Tile(1, 0, 2, focus: 0.9));

        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync(TilesUrl(lab), tiles)).Status);

        var acquisition = (await HttpJson.GetJsonAsync(Client, $"/odata/Acquisitions('{lab.AcquisitionId}')")).Object;
        Assert.Equal(3, acquisition["tile_count"]!.GetValue<long>());
        Assert.Equal(0.7, acquisition["avg_focus_score"]!.GetValue<double>(), 9);
        var outbox = await store.App.Services.GetRequiredService<DocumentStore>().ReadAsync(async session =>
        {
            await using var command = session.Command($"SELECT COUNT(*) FROM {JobRequestsTable.Table} WHERE job = 'quality-report' AND key = @key", ("@key", lab.AcquisitionId));
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }, default);
        Assert.Equal(1, outbox);

        // Tiles written one by one through the generic API move the roll-ups too.
        Assert.Equal(HttpStatusCode.Created, (await Client.PostJsonAsync("/odata/Tiles", lab.Tile(1, 1, 2, focus: 0.3))).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await HttpJson.DeleteJsonAsync(Client, $"/odata/Tiles('{lab.AcquisitionId}-r000-c000')")).Status);
        acquisition = (await HttpJson.GetJsonAsync(Client, $"/odata/Acquisitions('{lab.AcquisitionId}')")).Object;
        Assert.Equal(3, acquisition["tile_count"]!.GetValue<long>());
        Assert.Equal((0.7 + 0.9 + 0.3) / 3, acquisition["avg_focus_score"]!.GetValue<double>(), 9);
    }

    [Fact]
    public async Task Clients_cannot_write_rollups_and_updates_keep_them()
    {
        var lab = await LabAsync(2, 2);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync(TilesUrl(lab), new JsonArray(lab.Tile(0, 0, 2)))).Status);

        var patched = await Client.PatchJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')", new JsonObject { ["tile_count"] = 99, ["montage_id"] = "M1" });
        var replaced = await Client.PutJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')", lab.Acquisition(lab.AcquisitionId, 2, 2));

        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal(1, patched.Object["tile_count"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.OK, replaced.Status);
        Assert.Equal(1, replaced.Object["tile_count"]!.GetValue<long>());
        Assert.Equal(0.8, replaced.Object["avg_focus_score"]!.GetValue<double>(), 9);
    }

    [Fact]
    public async Task Skips_and_conflicts_are_found_in_every_chunk_of_a_request()
    {
        // 2,500 tiles are three chunks of the default 1,000: stored ones sit in the first and the last.
        var lab = await LabAsync(50, 50);
        var all = new JsonArray([.. Enumerable.Range(0, 2500).Select(i => (JsonNode)lab.Tile(i / 50, i % 50, 50))]);
        var stored = new JsonArray([.. all.Where((_, i) => i < 10 || i >= 2490).Select(t => t!.DeepClone())]);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync(TilesUrl(lab), stored)).Status);

        var conflicting = (JsonArray)all.DeepClone();
        conflicting[2495]!["focus_score"] = 0.11;
        var refused = await Client.PostJsonAsync(TilesUrl(lab), conflicting);
        var accepted = await Client.PostJsonAsync(TilesUrl(lab), all);

        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal([$"Tiles('{lab.AcquisitionId}-r049-c045')"], refused.ErrorTargets);
        Assert.Equal(HttpStatusCode.OK, accepted.Status);
        Assert.Equal((2500, 2480, 20), (accepted.Object["received"]!.GetValue<int>(), accepted.Object["inserted"]!.GetValue<int>(), accepted.Object["skipped_existing"]!.GetValue<int>()));
        Assert.Equal(2500, await CountAsync(lab));
    }

    [Fact]
    public async Task Json_array_streams_large_batches()
    {
        var lab = await LabAsync(60, 50);
        var body = new StringBuilder("[");
        for (var i = 0; i < 3000; i++)
        {
            body.Append(i == 0 ? "" : ",").Append(lab.Tile(i / 50, i % 50, 50).ToJsonString());
        }
        body.Append(']');

        var reply = await Client.PostRawJsonAsync(TilesUrl(lab), body.ToString());

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(3000, reply.Object["inserted"]!.GetValue<int>());
        Assert.Equal(3000, await CountAsync(lab));
    }
}

public sealed class TileIngestSqliteTests(SqliteStore store) : TileIngestTests(store), IClassFixture<SqliteStore>;

public sealed class TileIngestPostgresTests(PostgresStore store) : TileIngestTests(store), IClassFixture<PostgresStore>;
