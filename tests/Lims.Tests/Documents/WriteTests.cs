using System.Net;
using System.Text.Json.Nodes;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.Documents;

public abstract class WriteTests(StoreFixture store)
{
    private readonly HttpClient _client = store.Client;

    [Fact]
    public async Task Create_answers_201_with_location_etag_and_the_stored_document()
    {
        var id = $"SP-{Guid.NewGuid():N}";
        var reply = await _client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = id, ["description"] = "fresh" });
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        Assert.EndsWith($"/odata/Specimens('{id}')", reply.Response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("W/\"1\"", reply.Response.Headers.ETag!.ToString());
        Assert.Equal("W/\"1\"", reply.Object["@odata.etag"]!.GetValue<string>());
        Assert.EndsWith("$metadata#Specimens/$entity", reply.Object["@odata.context"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(reply.Object["created_at"]!.GetValue<string>(), reply.Object["updated_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_keys_are_kept_at_every_level()
    {
        var lab = await new LabBuilder(_client).WithAcquisitionAsync();
        var tile = lab.Tile(0, 0, 5);
        tile["lab_note"] = new JsonObject { ["by"] = "ana", ["score"] = 3 };
        tile["stage_position"]!["z"] = 12.5;
        tile["matcher"]![0]!["custom"] = new JsonArray(1, 2);
        await lab.Create("Tiles", tile);
        var served = (await _client.GetJsonAsync($"/odata/Tiles('{tile["tile_id"]}')")).Object;
        Assert.True(JsonNode.DeepEquals(tile["lab_note"], served["lab_note"]));
        Assert.Equal(12.5, served["stage_position"]!["z"]!.GetValue<double>());
        Assert.True(JsonNode.DeepEquals(new JsonArray(1, 2), served["matcher"]![0]!["custom"]));
    }

    [Fact]
    public async Task A_duplicate_key_is_409_and_the_first_document_stays()
    {
        var id = $"SP-{Guid.NewGuid():N}";
        await _client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = id, ["description"] = "first" });
        var reply = await _client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = id, ["description"] = "second" });
        Assert.Equal(HttpStatusCode.Conflict, reply.Status);
        Assert.Equal("first", (await _client.GetJsonAsync($"/odata/Specimens('{id}')")).Object["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_key_is_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetJsonAsync("/odata/Specimens('no-such')")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetJsonAsync("/odata/ROIs(987654321)")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PatchJsonAsync("/odata/Specimens('no-such')", new JsonObject())).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteJsonAsync("/odata/Specimens('no-such')")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetJsonAsync("/odata/NoSuchSet")).Status);
    }

    [Fact]
    public async Task Patch_merges_objects_and_replaces_the_rest_put_replaces_the_whole_document()
    {
        var lab = await new LabBuilder(_client).WithAcquisitionAsync();
        var url = $"/odata/Acquisitions('{lab.AcquisitionId}')";
        var patched = await _client.PatchJsonAsync(url, HttpJson.Json("{'hardware_settings': {'camera_model': 'X-200'}, 'montage_set_name': 'set-1'}"));
        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal("TEMCA-T", patched.Object["hardware_settings"]!["scope_id"]!.GetValue<string>());
        Assert.Equal("X-200", patched.Object["hardware_settings"]!["camera_model"]!.GetValue<string>());
        Assert.Equal("W/\"2\"", patched.Object["@odata.etag"]!.GetValue<string>());

        var replacement = lab.Acquisition(lab.AcquisitionId, 3, 3);
        replacement.Remove("hardware_settings");
        var put = await _client.PutJsonAsync(url, replacement);
        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Null(put.Object["hardware_settings"]);
        Assert.Null(put.Object["montage_set_name"]);
        Assert.Equal(3, put.Object["acquisition_settings"]!["raster"]!["rows"]!.GetValue<long>());
        Assert.Equal(patched.Object["created_at"]!.GetValue<string>(), put.Object["created_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_stale_if_match_is_412_and_changes_nothing()
    {
        var lab = await new LabBuilder(_client).WithRoiAsync();
        var url = $"/odata/Specimens('{lab.SpecimenId}')";
        var etag = (await _client.GetJsonAsync(url)).Response.Headers.ETag!.ToString();
        Assert.Equal(HttpStatusCode.OK, (await _client.PatchJsonAsync(url, HttpJson.Json("{'description': 'v2'}"), ("If-Match", etag))).Status);
        var stale = await _client.PatchJsonAsync(url, HttpJson.Json("{'description': 'v3'}"), ("If-Match", etag));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await _client.DeleteJsonAsync(url, ("If-Match", etag))).Status);
        Assert.Equal("v2", (await _client.GetJsonAsync(url)).Object["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_key_cannot_change_through_an_update()
    {
        var lab = await new LabBuilder(_client).WithRoiAsync();
        var reply = await _client.PatchJsonAsync($"/odata/Specimens('{lab.SpecimenId}')", HttpJson.Json("{'specimen_id': 'other'}"));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("specimen_id", reply.ErrorTargets);
    }

    [Fact]
    public async Task Deleting_a_referenced_document_is_409_naming_the_referrers()
    {
        var lab = await new LabBuilder(_client).WithRoiAsync();
        var reply = await _client.DeleteJsonAsync($"/odata/Specimens('{lab.SpecimenId}')");
        Assert.Equal(HttpStatusCode.Conflict, reply.Status);
        Assert.Contains($"Blocks('{lab.BlockId}')", reply.Body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetJsonAsync($"/odata/Specimens('{lab.SpecimenId}')")).Status);
    }

    [Fact]
    public async Task Cascade_deletes_the_whole_tree_below()
    {
        var lab = await new LabBuilder(_client).WithAcquisitionAsync();
        await lab.Create("Tiles", lab.Tile(0, 0, 5));
        var child = await lab.Create("ROIs", new JsonObject { ["section_id"] = lab.SectionId, ["parent_roi_id"] = lab.RoiId });
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteJsonAsync($"/odata/Specimens('{lab.SpecimenId}')?cascade=true")).Status);
        foreach (var url in new[]
        {
            $"/odata/Specimens('{lab.SpecimenId}')", $"/odata/Blocks('{lab.BlockId}')", $"/odata/Sections('{lab.SectionId}')",
            $"/odata/ROIs({lab.RoiId})", $"/odata/ROIs({child["roi_id"]})", $"/odata/Acquisitions('{lab.AcquisitionId}')",
            $"/odata/Tiles('{lab.AcquisitionId}-r000-c000')",
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await _client.GetJsonAsync(url)).Status);
        }
        Assert.Equal(HttpStatusCode.OK, (await _client.GetJsonAsync($"/odata/Substrates('{lab.MediaId}')")).Status);
    }

    [Fact]
    public async Task A_batch_is_created_whole()
    {
        var lab = await new LabBuilder(_client).WithRoiAsync();
        var batch = new JsonArray([.. Enumerable.Range(2, 5).Select(n => (JsonNode)lab.Section($"{lab.Prefix}-B{n}", n))]);
        var reply = await _client.PostJsonAsync("/odata/Sections", batch);
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        Assert.Equal(5, reply.Value.Count);
        Assert.Equal("6", (await _client.GetJsonAsync($"/odata/CuttingSessions('{lab.CuttingSessionId}')/sections/$count")).Body!.GetValue<string>());
    }

    [Fact]
    public async Task A_batch_with_one_bad_document_writes_nothing()
    {
        var lab = await new LabBuilder(_client).WithRoiAsync();
        var bad = lab.Section($"{lab.Prefix}-B3", -3);
        var batch = new JsonArray(lab.Section($"{lab.Prefix}-B2", 2), bad, lab.Section($"{lab.Prefix}-B4", 4));
        var reply = await _client.PostJsonAsync("/odata/Sections", batch);
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("[1]/section_number", reply.ErrorTargets);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetJsonAsync($"/odata/Sections('{lab.Prefix}-B2')")).Status);
    }

    [Fact]
    public async Task A_batch_with_duplicates_inside_or_already_stored_writes_nothing()
    {
        var lab = await new LabBuilder(_client).WithRoiAsync();
        var inside = await _client.PostJsonAsync("/odata/Sections", new JsonArray(lab.Section($"{lab.Prefix}-D", 2), lab.Section($"{lab.Prefix}-D", 3)));
        Assert.Equal(HttpStatusCode.Conflict, inside.Status);
        Assert.Contains("[1]/section_id", inside.ErrorTargets);

        var stored = await _client.PostJsonAsync("/odata/Sections", new JsonArray(lab.Section($"{lab.Prefix}-E", 5), lab.Section(lab.SectionId, 6)));
        Assert.Equal(HttpStatusCode.Conflict, stored.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetJsonAsync($"/odata/Sections('{lab.Prefix}-E')")).Status);

        var sameNumber = await _client.PostJsonAsync("/odata/Sections", new JsonArray(lab.Section($"{lab.Prefix}-F", 7), lab.Section($"{lab.Prefix}-G", 7)));
        Assert.Equal(HttpStatusCode.Conflict, sameNumber.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetJsonAsync($"/odata/Sections('{lab.Prefix}-F')")).Status);
    }

    [Fact]
    public async Task Roi_batches_get_consecutive_server_assigned_keys_and_may_hold_a_parent_and_its_child()
    {
        var lab = await new LabBuilder(_client).WithRoiAsync();
        var parentId = lab.RoiId + 1000;
        var reply = await _client.PostJsonAsync("/odata/ROIs", new JsonArray(
            new JsonObject { ["roi_id"] = parentId, ["section_id"] = lab.SectionId },
            new JsonObject { ["section_id"] = lab.SectionId, ["parent_roi_id"] = parentId },
            new JsonObject { ["section_id"] = lab.SectionId }));
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        var ids = reply.Value.Select(r => r!["roi_id"]!.GetValue<long>()).ToList();
        Assert.Equal(parentId, ids[0]);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids.Skip(1), id => Assert.True(id > lab.RoiId));
    }

    [Fact]
    public async Task Only_sections_rois_and_tasks_take_arrays()
    {
        var reply = await _client.PostJsonAsync("/odata/Specimens", new JsonArray(new JsonObject { ["specimen_id"] = "arr" }));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
    }

    [Fact]
    public async Task Prefer_return_minimal_answers_204_with_the_etag()
    {
        var reply = await _client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = $"SP-{Guid.NewGuid():N}" }, ("Prefer", "return=minimal"));
        Assert.Equal(HttpStatusCode.NoContent, reply.Status);
        Assert.NotNull(reply.Response.Headers.ETag);
        Assert.NotNull(reply.Response.Headers.Location);
    }
}

public sealed class WriteTests_Sqlite(SqliteStore store) : WriteTests(store), IClassFixture<SqliteStore>;

public sealed class WriteTests_Postgres(PostgresStore store) : WriteTests(store), IClassFixture<PostgresStore>;
