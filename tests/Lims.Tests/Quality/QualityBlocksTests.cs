using System.Net;
using System.Text.Json.Nodes;
using Lims.Quality;
using Lims.Storage;
using Lims.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Lims.Tests.Quality;

/// <summary>
/// Reports read blocks that writers mark changed and reports recompute: after inserts, an update, a delete and an
/// upsert that moves a tile, the incrementally kept report must equal one computed from scratch.
/// </summary>
public abstract class QualityBlocksTests(StoreFixture store)
{
    private const int Cols = 1000;
    private HttpClient Client => store.Client;

    [Fact]
    public async Task Incremental_report_equals_one_computed_from_scratch_after_every_kind_of_write()
    {
        var lab = await new LabBuilder(Client).WithAcquisitionAsync(3, Cols);
        // Three blocks of raster indexes; holes at 500 and 1500; 1024 repeats 1023's statistics across a block boundary.
        await IngestAsync(lab, Enumerable.Range(0, 2200).Where(i => i is not 500 and not 1500).Select(i => Tile(lab, i)));
        var first = await ReportAsync(lab);
        Assert.Equal((2198L, 802L, 1L), (Long(first, "tile_count"), Long(first, "missing_count"), Long(first, "frozen_frames")));

        await IngestAsync(lab, Enumerable.Range(2200, 800).Select(i => Tile(lab, i)));
        var dark = new JsonObject { ["min_value"] = 0, ["max_value"] = 5, ["mean_value"] = 2 };
        Assert.Equal(HttpStatusCode.OK, (await Client.PatchJsonAsync($"/odata/Tiles('{Id(lab, 100)}')", dark)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteJsonAsync($"/odata/Tiles('{Id(lab, 700)}')")).Status);
        // The tile at 2999 moves to the hole at 1500 (upsert): both its old and its new block change.
        var moved = Tile(lab, 1500);
        moved["tile_id"] = Id(lab, 2999);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')/tiles?mode=upsert", new JsonArray(moved))).Status);

        var incremental = await ReportAsync(lab);
        await store.App.Services.GetRequiredService<DocumentStore>().WriteAsync(s => s.ExecuteAsync(
            $"DELETE FROM {QualityBlocksTable.Blocks} WHERE acquisition_id = @a", default, ("@a", lab.AcquisitionId)), default);
        var scratch = await ReportAsync(lab);

        Assert.Equal((2997L, 3L, 1L), (Long(incremental, "tile_count"), Long(incremental, "missing_count"), Long(incremental, "frozen_frames")));
        Assert.Equal(new long[] { 500, 700, 2999 }, incremental["missing_positions"]!.AsArray().Select(p => p!["raster_index"]!.GetValue<long>()));
        Assert.Equal(1, Long(incremental["intensity"]!, "dark_tiles"));
        incremental.Remove("computed_at");
        scratch.Remove("computed_at");
        Assert.True(JsonNode.DeepEquals(incremental, scratch), $"incremental {incremental.ToJsonString()}\nfrom scratch {scratch.ToJsonString()}");
    }

    protected static JsonObject Tile(LabBuilder lab, int index)
    {
        var tile = lab.Tile(index / Cols, index % Cols, Cols, focus: 0.7 + (index % 13 / 100.0));
        if (index == 1024)
        {
            // A frozen frame: everything as at 1023.
            tile["focus_score"] = 0.7 + (1023 % 13 / 100.0);
            tile["mean_value"] = 20.5 + (1023 % 200);
        }
        return tile;
    }

    private static string Id(LabBuilder lab, int index) => lab.Tile(index / Cols, index % Cols, Cols)["tile_id"]!.GetValue<string>();

    protected async Task IngestAsync(LabBuilder lab, IEnumerable<JsonObject> tiles)
    {
        var reply = await Client.PostJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')/tiles", new JsonArray([.. tiles]));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    private async Task<JsonObject> ReportAsync(LabBuilder lab) =>
        (await HttpJson.GetJsonAsync(Client, $"/quality/acquisitions/{lab.AcquisitionId}?refresh=true")).Object;

    private static long Long(JsonNode node, string field) => node[field]!.GetValue<long>();
}

public sealed class QualityBlocksSqliteTests(SqliteStore store) : QualityBlocksTests(store), IClassFixture<SqliteStore>;

public sealed class QualityBlocksPostgresTests(PostgresStore store) : QualityBlocksTests(store), IClassFixture<PostgresStore>
{
    /// <summary>
    /// PostgreSQL runs writers concurrently (SQLite takes them in turn): a report that has taken an acquisition's
    /// marks holds their rows until it commits, and the next batch, marking the same blocks, must not wait for it.
    /// </summary>
    [Fact]
    public async Task A_batch_does_not_wait_for_a_report_that_holds_the_marks_it_took()
    {
        var lab = await new LabBuilder(store.Client).WithAcquisitionAsync(3, 1000);
        await IngestAsync(lab, Enumerable.Range(0, 10).Select(i => Tile(lab, i)));
        await using var connection = await store.App.Services.GetRequiredService<DocumentStore>().OpenAsync(default);
        await using var report = await connection.BeginTransactionAsync();
        await using (var take = connection.CreateCommand())
        {
            take.Transaction = report;
            take.CommandText = $"DELETE FROM {QualityBlocksTable.Marks} WHERE acquisition_id = @a";
            take.Parameters.Add(new Npgsql.NpgsqlParameter("a", lab.AcquisitionId));
            Assert.True(await take.ExecuteNonQueryAsync() > 0);
        }

        var batch = IngestAsync(lab, Enumerable.Range(10, 10).Select(i => Tile(lab, i)));
        var finished = await Task.WhenAny(batch, Task.Delay(TimeSpan.FromSeconds(20)));
        await report.RollbackAsync();

        Assert.Same(batch, finished);
        await batch;
    }
}
