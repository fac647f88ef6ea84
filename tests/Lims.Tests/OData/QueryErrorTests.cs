using System.Net;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.OData;

/// <summary>Every way a query can fail: 400 naming the problem (syntax, unknown names, limits), 501 naming the unsupported feature.</summary>
public abstract class QueryErrorTests(StoreFixture store)
{
    [Theory]
    [InlineData("Tiles?$filter=focus_score lt", "Expression expected")]
    [InlineData("Tiles?$filter=bogus eq 1", "bogus")]
    [InlineData("Tiles?$filter=acquisition/bogus eq 1", "bogus")]
    [InlineData("Tiles?$orderby=bogus", "bogus")]
    [InlineData("Tiles?$select=bogus", "bogus")]
    [InlineData("Tiles?$expand=bogus", "bogus")]
    [InlineData("Tiles?$filter=contains(tile_id)", "contains")]
    [InlineData("Tiles?$filter=tile_id eq @missing", "@missing")]
    [InlineData("Tiles?$top=-1", "$top")]
    [InlineData("Tiles?$top=abc", "$top")]
    [InlineData("Tiles?$skip=-5", "$skip")]
    [InlineData("Tiles?$skiptoken=not-a-token", "$skiptoken")]
    [InlineData("Tiles?$count=maybe", "count option")]
    [InlineData("Tiles?$bogus=1", "$bogus")]
    [InlineData("Tiles?$apply=groupby((bogus))", "bogus")]
    [InlineData("Tiles?$apply=groupby((acquisition_id),aggregate($count as n))&$orderby=focus_score", "focus_score")]
    [InlineData("Tiles?$search=AND", "AND")]
    public async Task Bad_query_answers_400_naming_the_problem(string query, string named)
    {
        var reply = await store.Client.GetJsonAsync("/odata/" + query);

        Assert.True(reply.Status == HttpStatusCode.BadRequest, reply.ToString());
        Assert.Contains(named, reply.Body!["error"]!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Tiles?$filter=isof(tile_id, Edm.String)", "isof")]
    [InlineData("Tiles?$filter=cast(raster_index, Edm.String) eq '1'", "cast")]
    [InlineData("Tiles?$filter=geo.distance(geography'POINT(0 0)', geography'POINT(1 1)') lt 1", "geo.distance")]
    [InlineData("Tiles?$compute=focus_score mul 2 as f2", "$compute")]
    [InlineData("Tiles?$apply=groupby((acquisition_id),aggregate($count as n))/filter(n gt 10)", "after a groupby")]
    [InlineData("Tiles?$apply=compute(focus_score mul 2 as f2)", "Compute")]
    [InlineData("Tiles?$apply=groupby((acquisition_id))&$expand=acquisition", "$expand together with $apply")]
    [InlineData("Acquisitions?$expand=tiles($apply=aggregate($count as n))", "$apply inside $expand")]
    [InlineData("Acquisitions?$filter=start_time add duration'PT1H' gt now()", "duration")]
    [InlineData("Acquisitions?$filter=hardware_settings/extra_list/any(x: x eq 1)", "lambda")]
    public async Task Valid_but_unsupported_query_answers_501_naming_the_feature(string query, string named)
    {
        var reply = await store.Client.GetJsonAsync("/odata/" + query);

        Assert.True(reply.Status == HttpStatusCode.NotImplemented, reply.ToString());
        Assert.Contains(named, reply.Body!["error"]!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Tiles?$top=1001", "OData:MaxTop")]
    [InlineData("Acquisitions?$expand=tiles($expand=acquisition($expand=roi($expand=section)))", "OData:MaxExpandDepth")]
    [InlineData("ROIs?$expand=children($levels=3)", "OData:MaxExpandDepth")]
    public async Task Query_over_a_configured_limit_answers_400_naming_the_limit(string query, string named)
    {
        var reply = await store.Client.GetJsonAsync("/odata/" + query);

        Assert.True(reply.Status == HttpStatusCode.BadRequest, reply.ToString());
        Assert.Contains(named, reply.Body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filter_longer_than_the_limit_answers_400()
    {
        var filter = string.Join(" or ", Enumerable.Range(0, 40).Select(i => $"raster_index eq {i}"));

        var reply = await store.Client.GetJsonAsync("/odata/Tiles?$filter=" + filter);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("OData:MaxFilterLength", reply.Body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

/// <summary>Small limits, so each is easy to exceed.</summary>
public abstract class LimitedStore(StoreKind kind) : StoreFixture(kind)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["OData:MaxTop"] = "1000",
        ["OData:MaxExpandDepth"] = "2",
        ["OData:MaxFilterLength"] = "200",
    };
}

public sealed class LimitedSqlite() : LimitedStore(StoreKind.Sqlite);

public sealed class LimitedPostgres() : LimitedStore(StoreKind.Postgres);

public sealed class QueryErrorTestsOnSqlite(LimitedSqlite store) : QueryErrorTests(store), IClassFixture<LimitedSqlite>;

public sealed class QueryErrorTestsOnPostgres(LimitedPostgres store) : QueryErrorTests(store), IClassFixture<LimitedPostgres>;
