using System.Net;
using System.Text.Json.Nodes;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.OData;

/// <summary>The protocol's headers and formats: one test per rule, on both stores.</summary>
public abstract class ProtocolHeaderTests(StoreFixture store)
{
    private HttpClient Client => store.Client;

    [Theory]
    [InlineData("/odata/Specimens('nope')", HttpStatusCode.NotFound)]
    [InlineData("/odata/Specimens?$filter=bogus eq 1", HttpStatusCode.BadRequest)]
    [InlineData("/odata/Tiles?$filter=geo.distance(geography'POINT(0 0)', geography'POINT(1 1)') lt 1", HttpStatusCode.NotImplemented)]
    [InlineData("/odata/Specimens?$format=foo", HttpStatusCode.NotAcceptable)]
    [InlineData("/odata/Nothing", HttpStatusCode.NotFound)]
    [InlineData("/odata/Specimens/$count", HttpStatusCode.OK)]
    public async Task Every_odata_response_carries_OData_Version_and_the_correlation_id(string url, HttpStatusCode status)
    {
        var reply = await Client.GetJsonAsync(url, ("X-Correlation-Id", "corr-" + (int)status));

        Assert.True(reply.Status == status, reply.ToString());
        Assert.Equal("4.0", Header(reply, "OData-Version"));
        Assert.Equal("corr-" + (int)status, Header(reply, "X-Correlation-Id"));
    }

    [Fact]
    public async Task A_204_carries_OData_Version_and_the_correlation_id()
    {
        var id = NewId("SP");
        await Client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = id });

        var reply = await Client.DeleteJsonAsync($"/odata/Specimens('{id}')", ("X-Correlation-Id", "corr-delete"));

        Assert.Equal(HttpStatusCode.NoContent, reply.Status);
        Assert.Equal("4.0", Header(reply, "OData-Version"));
        Assert.Equal("corr-delete", Header(reply, "X-Correlation-Id"));
    }

    [Fact]
    public async Task Prefer_maxpagesize_pages_and_is_applied()
    {
        var prefix = NewId("PG");
        for (var i = 0; i < 7; i++)
        {
            await Client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = $"{prefix}-{i}" });
        }
        var url = $"/odata/Specimens?$filter=startswith(specimen_id,'{prefix}')";

        var first = await Client.GetJsonAsync(url, ("Prefer", "odata.maxpagesize=5"));
        var second = await Client.GetJsonAsync(first.Object["@odata.nextLink"]!.GetValue<string>(), ("Prefer", "odata.maxpagesize=5"));

        Assert.Equal(5, first.Value.Count);
        Assert.Equal("odata.maxpagesize=5", Header(first, "Preference-Applied"));
        Assert.Equal(2, second.Value.Count);
        Assert.Null(second.Object["@odata.nextLink"]);
    }

    [Fact]
    public async Task Prefer_return_minimal_on_create_answers_204_with_OData_EntityId()
    {
        var id = NewId("SP");

        var reply = await Client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = id }, ("Prefer", "return=minimal"));

        Assert.Equal(HttpStatusCode.NoContent, reply.Status);
        Assert.EndsWith($"/odata/Specimens('{id}')", Header(reply, "OData-EntityId"), StringComparison.Ordinal);
        Assert.Equal("return=minimal", Header(reply, "Preference-Applied"));
        Assert.Equal("4.0", Header(reply, "OData-Version"));
    }

    [Fact]
    public async Task Prefer_return_representation_answers_the_entity_and_is_applied()
    {
        var reply = await Client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = NewId("SP") }, ("Prefer", "return=representation"));

        Assert.Equal(HttpStatusCode.Created, reply.Status);
        Assert.Equal("return=representation", Header(reply, "Preference-Applied"));
        Assert.NotNull(reply.Object["specimen_id"]);
    }

    [Fact]
    public async Task Prefer_include_annotations_is_applied()
    {
        var reply = await Client.GetJsonAsync("/odata/Specimens?$top=1", ("Prefer", "odata.include-annotations=\"*\""));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("odata.include-annotations=\"*\"", Header(reply, "Preference-Applied"));
    }

    [Theory]
    [InlineData("application/json;odata.metadata=none", "odata.metadata=none")]
    [InlineData("application/json;odata.metadata=full;q=0.9, application/json;odata.metadata=minimal", "odata.metadata=minimal")]
    [InlineData("application/json;IEEE754Compatible=false", "odata.metadata=minimal")]
    [InlineData("application/json, text/plain, */*", "odata.metadata=minimal")]
    public async Task The_content_type_names_the_format_asked_for(string accept, string named)
    {
        var reply = await Client.GetJsonAsync("/odata/Specimens?$top=1", ("Accept", accept));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Contains(named, reply.Response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/odata/Specimens?$format=foo", null)]
    [InlineData("/odata/Specimens?$format=atom", null)]
    [InlineData("/odata/Specimens", "application/atom+xml")]
    [InlineData("/odata/Specimens", "application/json;odata.metadata=verbose")]
    [InlineData("/odata/Specimens", "application/json;odata.metadata=full")]
    [InlineData("/odata/Specimens", "application/json;IEEE754Compatible=true")]
    [InlineData("/odata/$metadata", "text/html")]
    public async Task An_unsupported_format_answers_406_with_an_OData_error(string url, string? accept)
    {
        var reply = accept is null ? await Client.GetJsonAsync(url) : await Client.GetJsonAsync(url, ("Accept", accept));

        Assert.True(reply.Status == HttpStatusCode.NotAcceptable, reply.ToString());
        Assert.Equal("NotAcceptable", reply.ErrorCode);
    }

    [Theory]
    [InlineData("", null, "xml")]
    [InlineData("", "application/json, text/plain, */*", "xml")]
    [InlineData("", "application/xml", "xml")]
    [InlineData("", "application/json", "json")]
    [InlineData("?$format=json", "application/xml", "json")]
    [InlineData("?$format=application/json", null, "json")]
    public async Task Metadata_is_XML_unless_JSON_is_asked_for_explicitly(string query, string? accept, string expected)
    {
        var reply = accept is null ? await Client.GetJsonAsync("/odata/$metadata" + query) : await Client.GetJsonAsync("/odata/$metadata" + query, ("Accept", accept));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Contains(expected, reply.Response.Content.Headers.ContentType!.MediaType!, StringComparison.Ordinal);
        Assert.Equal("4.0", Header(reply, "OData-Version"));
    }

    [Theory]
    [InlineData("/odata/Tiles?$skiptoken=WzVd")] // [5] where the key is text
    [InlineData("/odata/ROIs?$skiptoken=WyJ4Il0")] // ["x"] where the key is an integer
    [InlineData("/odata/Tiles?$skiptoken=W3t9XQ")] // [{}]
    [InlineData("/odata/Tiles?$orderby=focus_score&$skiptoken=WyJ4IiwieCJd")] // ["x","x"] where a number is ordered on
    public async Task A_forged_skiptoken_answers_400(string url)
    {
        var reply = await Client.GetJsonAsync(url);

        Assert.True(reply.Status == HttpStatusCode.BadRequest, reply.ToString());
    }

    [Fact]
    public async Task The_value_of_a_primitive_property_is_plain_text()
    {
        var id = NewId("SP");
        var empty = NewId("SP");
        await Client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = id, ["description"] = "mouse V1, 001" });
        await Client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = empty });

        var text = await Client.GetAsync($"/odata/Specimens('{id}')/description/$value");
        var missing = await Client.GetAsync($"/odata/Specimens('{empty}')/description/$value");

        Assert.Equal(HttpStatusCode.OK, text.StatusCode);
        Assert.Equal("text/plain", text.Content.Headers.ContentType!.MediaType);
        Assert.Equal("mouse V1, 001", await text.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, missing.StatusCode);
    }

    [Fact]
    public async Task Refs_are_read_and_a_reference_field_is_written_through_them()
    {
        var lab = await new LabBuilder(Client).WithRoiAsync();
        var other = NewId("SP");
        await Client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = other });
        var spare = NewId("B");
        await Client.PostJsonAsync("/odata/Blocks", new JsonObject { ["block_id"] = spare, ["specimen_id"] = other });

        var single = await Client.GetJsonAsync($"/odata/Blocks('{lab.BlockId}')/specimen/$ref");
        var many = await Client.GetJsonAsync($"/odata/Specimens('{lab.SpecimenId}')/blocks/$ref");
        var moved = await Client.PutJsonAsync($"/odata/Blocks('{spare}')/specimen/$ref", new JsonObject { ["@odata.id"] = $"Specimens('{lab.SpecimenId}')" });
        var after = await Client.GetJsonAsync($"/odata/Specimens('{lab.SpecimenId}')/blocks/$ref?$orderby=block_id");
        var wrongSet = await Client.PutJsonAsync($"/odata/Blocks('{spare}')/specimen/$ref", new JsonObject { ["@odata.id"] = $"Blocks('{lab.BlockId}')" });

        Assert.Equal(HttpStatusCode.OK, single.Status);
        Assert.EndsWith($"/odata/Specimens('{lab.SpecimenId}')", single.Object["@odata.id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("$metadata#$ref", single.Object["@odata.context"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(many.Value);
        Assert.Equal(HttpStatusCode.NoContent, moved.Status);
        Assert.Equal(new[] { lab.BlockId, spare }.Order(), after.Value.Select(v => v!["@odata.id"]!.GetValue<string>().Split('\'')[1]).Order());
        Assert.Equal(HttpStatusCode.BadRequest, wrongSet.Status);
    }

    [Fact]
    public async Task An_entity_is_read_by_its_id()
    {
        var lab = await new LabBuilder(Client).WithRoiAsync();

        var reply = await Client.GetJsonAsync($"/odata/$entity?$id=Blocks('{lab.BlockId}')&$select=block_id&$expand=specimen");
        var absolute = await Client.GetJsonAsync($"/odata/$entity?$id={Client.BaseAddress}odata/Specimens('{lab.SpecimenId}')");
        var foreign = await Client.GetJsonAsync("/odata/$entity?$id=http://elsewhere.example/odata/Specimens('x')");

        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        Assert.Equal(lab.BlockId, reply.Object["block_id"]!.GetValue<string>());
        Assert.Equal(lab.SpecimenId, reply.Object["specimen"]!["specimen_id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, absolute.Status);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.Status);
    }

    [Fact]
    public async Task The_full_lineage_expands_in_one_request_both_ways()
    {
        var lab = await new LabBuilder(Client).WithAcquisitionAsync();
        await Client.PostJsonAsync("/odata/Tiles", lab.Tile(0, 0, 5));

        var up = await Client.GetJsonAsync($"/odata/Tiles?$filter=acquisition_id eq '{lab.AcquisitionId}'" +
            "&$expand=acquisition($expand=roi($expand=section($expand=cutting_session($expand=block($expand=specimen)))))");
        var down = await Client.GetJsonAsync($"/odata/Specimens('{lab.SpecimenId}')" +
            "?$expand=blocks($expand=cutting_sessions($expand=sections($expand=rois($expand=acquisitions($expand=tiles)))))");

        Assert.True(up.Status == HttpStatusCode.OK, up.ToString());
        Assert.Equal(lab.SpecimenId, up.Value[0]!["acquisition"]!["roi"]!["section"]!["cutting_session"]!["block"]!["specimen"]!["specimen_id"]!.GetValue<string>());
        Assert.True(down.Status == HttpStatusCode.OK, down.ToString());
        Assert.Single(down.Object["blocks"]![0]!["cutting_sessions"]![0]!["sections"]![0]!["rois"]![0]!["acquisitions"]![0]!["tiles"]!.AsArray());
    }

    private static string NewId(string kind) => $"{kind}-{Guid.NewGuid():N}"[..20];

    private static string Header(HttpJson.Reply reply, string name) =>
        reply.Response.Headers.TryGetValues(name, out var values) || reply.Response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : "";
}

public sealed class ProtocolHeaderTestsOnSqlite(SqliteStore store) : ProtocolHeaderTests(store), IClassFixture<SqliteStore>;

public sealed class ProtocolHeaderTestsOnPostgres(PostgresStore store) : ProtocolHeaderTests(store), IClassFixture<PostgresStore>;

/// <summary>Page sizes on the demo lab (3,193 tiles with matchers) with the default settings.</summary>
public abstract class PageBudgetTests(StoreFixture store)
{
    private const int OneMiB = 1 << 20;

    [Theory]
    [InlineData("Tiles")]
    [InlineData("Substrates")]
    [InlineData("Sections")]
    [InlineData("Acquisitions")]
    public async Task A_default_page_stays_under_1_MiB(string entitySet)
    {
        using var response = await store.Client.GetAsync($"/odata/{entitySet}");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(bytes.Length < OneMiB, $"{entitySet}: {bytes.Length} bytes");
    }

    [Fact]
    public async Task Tiles_are_paged_by_bytes_and_a_client_may_ask_for_larger_pages()
    {
        var first = await store.Client.GetJsonAsync("/odata/Tiles?$select=tile_id,matcher");
        var large = await store.Client.GetJsonAsync("/odata/Tiles", ("Prefer", "odata.maxpagesize=2000"));
        var total = (await store.Client.GetJsonAsync("/odata/Tiles?$count=true&$top=0")).Object["@odata.count"]!.GetValue<long>();

        Assert.True(total > 1000, $"the demo lab holds {total} tiles");
        Assert.NotNull(first.Object["@odata.nextLink"]);
        Assert.Equal(2000, large.Value.Count);
        Assert.True(large.Response.Content.Headers.ContentLength is null or > OneMiB);
    }

    [Theory]
    [InlineData("V1")]
    [InlineData("001")]
    public async Task Search_words_may_hold_digits(string word)
    {
        var reply = await store.Client.GetJsonAsync($"/odata/Tiles?$search={word}&$top=1");

        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
    }
}

public sealed class PageBudgetTestsOnSqlite(SeededSqliteStore store) : PageBudgetTests(store), IClassFixture<SeededSqliteStore>;

public sealed class PageBudgetTestsOnPostgres(SeededPostgresStore store) : PageBudgetTests(store), IClassFixture<SeededPostgresStore>;
