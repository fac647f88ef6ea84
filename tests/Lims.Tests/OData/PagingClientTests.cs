using System.Net;
using Lims.Tests.Infrastructure;
using Lims.Tests.OData.Oracle;

namespace Lims.Tests.OData;

/// <summary>
/// Clients as dashboards behave: Grafana's OData datasource (filters joined with 'and', $select, spaces as '+') and a
/// client that follows every nextLink (Power Query). Pages are small here, so a walk crosses many keyset pages.
/// </summary>
public abstract class PagingClientTests(StoreFixture store)
{
    private static readonly QueryOracle _oracle = QueryOracle.ForSeed(SmallPagesStore.PageSize);

    [Theory]
    [InlineData("Tiles?$filter=focus_score gt 0.5&$orderby=focus_score desc,acquisition_id&$select=tile_id,focus_score&$count=true")]
    [InlineData("Tiles?$orderby=stage_position/x&$select=tile_id,stage_position")]
    [InlineData("Tiles?$orderby=supertile_id desc,raster_index&$top=450&$select=tile_id")]
    [InlineData("Tiles?$filter=acquisition/status ne 'failed'&$orderby=acquisition/start_time&$select=tile_id")]
    [InlineData("Acquisitions?$expand=tiles($top=2;$orderby=focus_score;$select=tile_id)&$select=acquisition_id")]
    public async Task Client_following_nextLinks_gets_every_row_once(string query)
    {
        var split = query.IndexOf('?', StringComparison.Ordinal);
        var expected = _oracle.Run(query[..split], query[(split + 1)..]);

        var actual = await DifferentialQueryTests.FetchAllPagesAsync(store.Client, "/odata/" + query);

        Assert.Equal(expected["@odata.count"]?.ToJsonString(), actual["@odata.count"]?.ToJsonString());
        Assert.Null(JsonCompare.Difference(expected["value"], JsonCompare.Clean(actual["value"])));
    }

    [Fact]
    public async Task NextLink_keeps_every_other_option()
    {
        var reply = await store.Client.GetJsonAsync("/odata/Tiles?$filter=focus_score gt 0.5&$select=tile_id&$orderby=focus_score&$count=true&$top=350");

        var next = new Uri(reply.Object["@odata.nextLink"]!.GetValue<string>());
        var options = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(next.Query);
        Assert.Equal("focus_score gt 0.5", options["$filter"]);
        Assert.Equal("tile_id", options["$select"]);
        Assert.Equal("focus_score", options["$orderby"]);
        Assert.Equal("true", options["$count"]);
        Assert.Equal("250", options["$top"]);
        Assert.True(options.ContainsKey("$skiptoken"));
    }

    [Fact]
    public async Task Grafana_style_request_with_plus_for_spaces_is_understood()
    {
        var reply = await store.Client.GetJsonAsync(
            "/odata/Tiles?$filter=acquisition_id+eq+'ACQ-0002'+and+focus_score+lt+0.2+and+raster_index+ge+0&$select=tile_id,focus_score");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var expected = _oracle.Run("Tiles", "$filter=acquisition_id eq 'ACQ-0002' and focus_score lt 0.2 and raster_index ge 0&$select=tile_id,focus_score");
        Assert.NotEmpty(expected["value"]!.AsArray());
        Assert.Null(JsonCompare.Difference(expected["value"], JsonCompare.Clean(reply.Object["value"])));
    }

    [Fact]
    public async Task Metadata_is_xml_by_default_and_json_on_request()
    {
        var xml = await store.Client.GetAsync("/odata/$metadata");
        var json = await store.Client.GetJsonAsync("/odata/$metadata?$format=json");

        Assert.Equal("application/xml", xml.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Name=\"tiles\"", await xml.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(json.Object["Lims"]);
    }
}

public abstract class SmallPagesStore(StoreKind kind) : SeededStoreFixture(kind)
{
    public const int PageSize = 100;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["OData:MaxPageSize"] = PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

public sealed class SmallPagesSqlite() : SmallPagesStore(StoreKind.Sqlite);

public sealed class SmallPagesPostgres() : SmallPagesStore(StoreKind.Postgres);

public sealed class PagingClientTestsOnSqlite(SmallPagesSqlite store) : PagingClientTests(store), IClassFixture<SmallPagesSqlite>;

public sealed class PagingClientTestsOnPostgres(SmallPagesPostgres store) : PagingClientTests(store), IClassFixture<SmallPagesPostgres>;
