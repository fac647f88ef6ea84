using System.Net;
using System.Text.Json.Nodes;
using Lims.Tests.Infrastructure;
using Lims.Tests.OData.Oracle;

namespace Lims.Tests.OData;

/// <summary>
/// Each query of <see cref="QueryCorpus"/> answered by the service (every page, following @odata.nextLink) and by the
/// in-memory oracle over the same seed documents; the answers must be equal, in order (the service's order is total:
/// the $orderby keys, then the key, as the oracle's).
/// </summary>
public abstract class DifferentialQueryTests(PagedSeededStore store)
{
    private static readonly QueryOracle _oracle = QueryOracle.ForSeed(PagedSeededStore.PageSize);

    public static TheoryData<string> Corpus => [.. QueryCorpus.Queries];

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Service_answers_like_the_oracle(string query)
    {
        var split = query.IndexOf('?', StringComparison.Ordinal);
        var (set, options) = split < 0 ? (query, "") : (query[..split], query[(split + 1)..]);
        var expected = _oracle.Run(set, options);

        var actual = await FetchAllPagesAsync(store.Client, "/odata/" + query);

        Assert.True(expected["value"]!.AsArray().Count > 0 || !query.Contains("$filter", StringComparison.Ordinal) || IsDeliberatelyEmpty(query),
            $"The oracle found nothing for {query}: the case tests too little.");
        Assert.Equal(expected["@odata.count"]?.ToJsonString(), actual["@odata.count"]?.ToJsonString());
        var difference = JsonCompare.Difference(expected["value"], JsonCompare.Clean(actual["value"]));
        Assert.True(difference is null, $"{query}\n{difference}");
    }

    // Cases whose point is an empty answer (division by zero is null, so nothing compares true).
    private static bool IsDeliberatelyEmpty(string query) => query.Contains("div 0 eq", StringComparison.Ordinal) && !query.Contains("not (", StringComparison.Ordinal);

    /// <summary>Every page of a collection answer, concatenated; the first page's count.</summary>
    public static async Task<JsonObject> FetchAllPagesAsync(HttpClient client, string url)
    {
        var all = new JsonArray();
        JsonNode? count = null;
        for (var (next, page) = (url, 0); next is not null; page++)
        {
            Assert.True(page < 100, "too many pages");
            var reply = await client.GetJsonAsync(next);
            Assert.True(reply.Status == HttpStatusCode.OK, $"{next}: {reply}");
            count ??= reply.Object["@odata.count"]?.DeepClone();
            foreach (var row in reply.Value)
            {
                all.Add(row!.DeepClone());
            }
            next = reply.Object["@odata.nextLink"]?.GetValue<string>();
        }
        var result = new JsonObject { ["value"] = all };
        if (count is not null)
        {
            result["@odata.count"] = count;
        }
        return result;
    }
}

public sealed class DifferentialQueryTestsOnSqlite(PagedSeededSqlite store) : DifferentialQueryTests(store), IClassFixture<PagedSeededSqlite>;

public sealed class DifferentialQueryTestsOnPostgres(PagedSeededPostgres store) : DifferentialQueryTests(store), IClassFixture<PagedSeededPostgres>;
