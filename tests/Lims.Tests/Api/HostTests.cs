using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Lims.Collections;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.Api;

public abstract class HostTests(StoreFixture store)
{
    private readonly HttpClient _client = store.Client;

    [Fact]
    public async Task Health_and_readiness()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetJsonAsync("/health")).Status);
        var ready = await _client.GetJsonAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal(store.Kind.ToString(), ready.Object["store"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_correlation_id_is_echoed_or_generated()
    {
        var given = await _client.GetJsonAsync("/odata/Specimens?$top=1", ("X-Correlation-Id", "abc-123"));
        Assert.Equal("abc-123", given.Response.Headers.GetValues("X-Correlation-Id").Single());
        var generated = await _client.GetJsonAsync("/odata/Specimens?$top=1");
        Assert.Equal(32, generated.Response.Headers.GetValues("X-Correlation-Id").Single().Length);
    }

    [Fact]
    public async Task Metadata_lists_every_collection_as_xml_and_as_json()
    {
        var xml = await _client.GetAsync(new Uri("/odata/$metadata", UriKind.Relative));
        var document = XDocument.Parse(await xml.Content.ReadAsStringAsync());
        XNamespace edm = "http://docs.oasis-open.org/odata/ns/edm";
        var sets = document.Descendants(edm + "EntitySet").Select(e => e.Attribute("Name")!.Value).ToHashSet();
        Assert.Superset(Catalog.All.Select(c => c.EntitySet).ToHashSet(), sets);
        var tile = document.Descendants(edm + "EntityType").Single(e => e.Attribute("Name")!.Value == "Tile");
        Assert.Contains(tile.Elements(edm + "NavigationProperty"), n => n.Attribute("Name")!.Value == "acquisition" && n.Attribute("Partner")!.Value == "tiles");

        var json = await _client.GetJsonAsync("/odata/$metadata?$format=json");
        Assert.Equal("Lims.Container", json.Object["$EntityContainer"]!.GetValue<string>());
        var matcher = json.Object["Lims"]!["Tile"]!["matcher"]!;
        Assert.Equal("Lims.MatcherEntry", matcher["$Type"]!.GetValue<string>());
        Assert.True(matcher["$Collection"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_service_document_lists_the_entity_sets()
    {
        var reply = await _client.GetJsonAsync("/odata");
        Assert.Superset(Catalog.All.Select(c => c.EntitySet).ToHashSet(), reply.Value.Select(v => v!["name"]!.GetValue<string>()).ToHashSet());
    }

    [Fact]
    public async Task Swagger_describes_every_collection_route_and_field()
    {
        var swagger = (await _client.GetJsonAsync("/swagger/v1/swagger.json")).Object;
        foreach (var collection in Catalog.All)
        {
            Assert.NotNull(swagger["paths"]![$"/odata/{collection.EntitySet}"]);
            var properties = swagger["components"]!["schemas"]![collection.EntityType]!["properties"]!.AsObject();
            Assert.All(collection.AllFields, f => Assert.True(properties.ContainsKey(f.Name), $"{collection.EntityType}.{f.Name} missing"));
        }
    }

    [Fact]
    public async Task Unsupported_methods_and_paths_answer_odata_errors()
    {
        var reply = await HttpJson.SendAsync(_client, HttpMethod.Put, "/odata/Specimens", "{}", []);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, reply.Status);
        Assert.Equal("MethodNotAllowed", reply.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetJsonAsync("/odata/Specimens('x')/nothing")).Status);
        var unsupported = await _client.GetJsonAsync("/odata/Specimens/$ref");
        Assert.True(unsupported.Status is HttpStatusCode.NotImplemented or HttpStatusCode.BadRequest or HttpStatusCode.NotFound, unsupported.ToString());
        Assert.IsType<JsonObject>(unsupported.Body!["error"]);
    }

    [Fact]
    public async Task A_property_path_serves_the_value()
    {
        var id = $"SP-{Guid.NewGuid():N}";
        await _client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = id, ["description"] = "by path", ["functional_imaging_metadata"] = new JsonObject { ["a"] = 1 } });
        var value = await _client.GetJsonAsync($"/odata/Specimens('{id}')/description");
        Assert.Equal("by path", value.Object["value"]!.GetValue<string>());
        var complex = await _client.GetJsonAsync($"/odata/Specimens('{id}')/functional_imaging_metadata");
        Assert.Equal(1, complex.Object["a"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetJsonAsync("/odata/Specimens('none')/description")).Status);
    }
}

public sealed class HostTests_Sqlite(SqliteStore store) : HostTests(store), IClassFixture<SqliteStore>;

public sealed class HostTests_Postgres(PostgresStore store) : HostTests(store), IClassFixture<PostgresStore>;
