using System.Net;
using System.Text.Json.Nodes;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.Documents;

/// <summary>Every validation rule answers 400 (or 409 for uniqueness) with an OData error naming each failing field, and writes nothing.</summary>
public abstract class ValidationTests(StoreFixture store)
{
    private readonly HttpClient _client = store.Client;

    public static TheoryData<string, string, string, string> InvalidTiles() => new()
    {
        { "max_value", "\"bright\"", "InvalidType", "max_value" },
        { "raster_index", "1.5", "InvalidType", "raster_index" },
        { "std_value", "-0.1", "OutOfRange", "std_value" },
        { "focus_score", "true", "InvalidType", "focus_score" },
        { "stage_position", "[1, 2]", "InvalidType", "stage_position" },
        { "matcher", "{\"row\": 1}", "InvalidType", "matcher" },
        { "matcher", "[{\"position\": \"diagonal\"}]", "InvalidValue", "matcher[0]/position" },
        { "raster_position", "{\"row\": -1, \"col\": 0}", "OutOfRange", "raster_position/row" },
    };

    [Theory]
    [MemberData(nameof(InvalidTiles))]
    public async Task A_tile_with_a_bad_field_is_refused_naming_it(string field, string json, string code, string target)
    {
        var lab = await new LabBuilder(_client).WithAcquisitionAsync();
        var tile = lab.Tile(0, 0, 5);
        tile[field] = JsonNode.Parse(json);
        var reply = await _client.PostJsonAsync("/odata/Tiles", tile);
        AssertRejected(reply, HttpStatusCode.BadRequest, code, target);
        await AssertAbsent($"/odata/Tiles('{tile["tile_id"]}')");
    }

    [Fact]
    public async Task Pixel_statistics_must_be_ordered()
    {
        var lab = await new LabBuilder(_client).WithAcquisitionAsync();
        var tile = lab.Tile(0, 0, 5);
        tile["min_value"] = 50;
        tile["mean_value"] = 40;
        tile["max_value"] = 30;
        var reply = await _client.PostJsonAsync("/odata/Tiles", tile);
        AssertRejected(reply, HttpStatusCode.BadRequest, "OutOfRange", "mean_value");
        Assert.Contains("min_value", reply.ErrorTargets);
    }

    public static TheoryData<string, string[]> InvalidAcquisitions() => new()
    {
        { "{'acquisition_id': 'X', 'status': 'done', 'tilt_angle': 120, 'lens_correction': 'yes', 'start_time': 'yesterday'}",
            ["lens_correction", "start_time", "status", "tilt_angle"] },
        // Nested values are named by their full path.
        { "{'acquisition_id': 'Y', 'acquisition_settings': {'tile_size': [4000, 'wide'], 'raster': {'rows': 0, 'cols': 2}}}",
            ["acquisition_settings/raster/rows", "acquisition_settings/tile_size[1]"] },
    };

    [Theory]
    [MemberData(nameof(InvalidAcquisitions))]
    public async Task Every_failing_field_is_named_at_once(string json, string[] targets)
    {
        var reply = await _client.PostJsonAsync("/odata/Acquisitions", HttpJson.Json(json));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(targets, reply.ErrorTargets.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task Section_rules_number_positive_confidence_in_range_quality_known()
    {
        var lab = await new LabBuilder(_client).WithRoiAsync();
        var section = lab.Section($"{lab.Prefix}-S9", 0);
        section["section_metrics"]!["tissue_confidence_score"] = 1.5;
        section["section_metrics"]!["quality"] = "perfect";
        var reply = await _client.PostJsonAsync("/odata/Sections", section);
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(
            ["section_metrics/quality", "section_metrics/tissue_confidence_score", "section_number"],
            reply.ErrorTargets.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task At_most_one_storage_location_is_current()
    {
        var lab = await new LabBuilder(_client).WithAcquisitionAsync();
        var acquisition = lab.Acquisition($"{lab.Prefix}-ACQ2", 2, 2);
        acquisition["storage_locations"] = new JsonArray(
            new JsonObject { ["location_type"] = "local", ["base_path"] = "/a", ["is_current"] = true },
            new JsonObject { ["location_type"] = "s3", ["base_path"] = "s3://b", ["is_current"] = true });
        AssertRejected(await _client.PostJsonAsync("/odata/Acquisitions", acquisition), HttpStatusCode.BadRequest, "OutOfRange", "storage_locations");
    }

    [Fact]
    public async Task Required_fields_and_enumerations()
    {
        AssertRejected(await _client.PostJsonAsync("/odata/Blocks", HttpJson.Json("{'block_id': 'B-no-specimen'}")), HttpStatusCode.BadRequest, "Required", "specimen_id");
        AssertRejected(await _client.PostJsonAsync("/odata/Specimens", HttpJson.Json("{'description': 'no id'}")), HttpStatusCode.BadRequest, "Required", "specimen_id");
        var lab = await new LabBuilder(_client).WithRoiAsync();
        AssertRejected(await _client.PostJsonAsync("/odata/AcquisitionTasks", new JsonObject { ["task_id"] = $"{lab.Prefix}-T", ["roi_id"] = lab.RoiId, ["status"] = "planned" }),
            HttpStatusCode.BadRequest, "InvalidValue", "status");
    }

    [Fact]
    public async Task Specimen_images_are_unique()
    {
        AssertRejected(await _client.PostJsonAsync("/odata/Specimens", HttpJson.Json("{'specimen_id': 'SP-dup-img', 'specimen_images': ['a.png', 'a.png']}")),
            HttpStatusCode.BadRequest, "DuplicateItems", "specimen_images");
    }

    [Fact]
    public async Task References_must_exist()
    {
        var reply = await _client.PostJsonAsync("/odata/Blocks", HttpJson.Json("{'block_id': 'B-orphan', 'specimen_id': 'NO-SUCH-SPECIMEN'}"));
        AssertRejected(reply, HttpStatusCode.BadRequest, "ReferenceNotFound", "specimen_id");
        Assert.Contains("Specimens('NO-SUCH-SPECIMEN')", reply.Body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Denormalised_ids_are_filled_from_the_chain()
    {
        var lab = await new LabBuilder(_client).WithAcquisitionAsync();
        var tile = lab.Tile(1, 1, 5);
        var created = (await _client.PostJsonAsync("/odata/Tiles", tile)).Object;
        Assert.Equal(lab.RoiId, created["roi_id"]!.GetValue<long>());
        Assert.Equal(lab.SpecimenId, created["specimen_id"]!.GetValue<string>());
        var roi = (await _client.GetJsonAsync($"/odata/ROIs({lab.RoiId})")).Object;
        Assert.Equal(lab.BlockId, roi["block_id"]!.GetValue<string>());
        Assert.Equal(lab.CuttingSessionId, roi["cutting_session_id"]!.GetValue<string>());
        Assert.Equal(1, roi["section_number"]!.GetValue<long>());
        var acquisition = (await _client.GetJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')")).Object;
        Assert.Equal(lab.RoiId, acquisition["roi_id"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_contradicting_denormalised_id_is_refused()
    {
        var lab = await new LabBuilder(_client).WithRoiAsync();
        await _client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = $"{lab.Prefix}-OTHER" });
        var roi = new JsonObject { ["section_id"] = lab.SectionId, ["specimen_id"] = $"{lab.Prefix}-OTHER" };
        AssertRejected(await _client.PostJsonAsync("/odata/ROIs", roi), HttpStatusCode.BadRequest, "Contradiction", "specimen_id");
    }

    [Fact]
    public async Task Section_number_is_unique_within_its_cutting_session()
    {
        var lab = await new LabBuilder(_client).WithRoiAsync();
        var reply = await _client.PostJsonAsync("/odata/Sections", lab.Section($"{lab.Prefix}-S2", 1));
        AssertRejected(reply, HttpStatusCode.Conflict, "NotUnique", "section_number");
        Assert.Equal(HttpStatusCode.Created, (await _client.PostJsonAsync("/odata/Sections", lab.Section($"{lab.Prefix}-S2", 2))).Status);
    }

    [Theory]
    [InlineData("{\"specimen_id\": ", "MalformedJson")]
    [InlineData("[1, 2", "MalformedJson")]
    [InlineData("\"just a string\"", "BadRequest")]
    [InlineData("null", "BadRequest")]
    [InlineData("{\"specimen_id\": 42}", "BadRequest")]
    [InlineData("{\"specimen_id\": \"x\", \"description\": {\"nested\": true}}", "BadRequest")]
    public async Task Malformed_or_mistyped_bodies_are_400_never_500(string body, string code)
    {
        var reply = await _client.PostRawJsonAsync("/odata/Specimens", body);
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(code, reply.ErrorCode);
    }

    [Fact]
    public async Task Deeply_nested_json_is_400()
    {
        var body = "{\"specimen_id\": \"deep\", \"functional_imaging_metadata\": " + new string('[', 200) + new string(']', 200) + "}";
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.PostRawJsonAsync("/odata/Specimens", body)).Status);
    }

    [Fact]
    public async Task A_non_json_body_is_415()
    {
        var reply = await _client.PostRawJsonAsync("/odata/Specimens", "<specimen/>", "application/xml");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, reply.Status);
        Assert.Equal("UnsupportedMediaType", reply.ErrorCode);
    }

    private static void AssertRejected(HttpJson.Reply reply, HttpStatusCode status, string code, string target)
    {
        Assert.True(reply.Status == status, $"expected {(int)status}, got {reply}");
        var details = reply.Body!["error"]!["details"]!.AsArray();
        Assert.Contains(details, d => d!["target"]!.GetValue<string>() == target && d["code"]!.GetValue<string>() == code);
        Assert.False(string.IsNullOrWhiteSpace(reply.Body["error"]!["message"]!.GetValue<string>()));
    }

    private async Task AssertAbsent(string url) => Assert.Equal(HttpStatusCode.NotFound, (await _client.GetJsonAsync(url)).Status);
}

public sealed class ValidationTests_Sqlite(SqliteStore store) : ValidationTests(store), IClassFixture<SqliteStore>;

public sealed class ValidationTests_Postgres(PostgresStore store) : ValidationTests(store), IClassFixture<PostgresStore>;
