using System.Net;
using System.Text.Json.Nodes;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.Documents;

/// <summary>Paging a collection page by page serves every row exactly once, whatever the order.</summary>
public abstract class PagingTests(StoreFixture store)
{
    private const int Documents = 2500;
    private readonly HttpClient _client = store.Client;

    [Theory]
    [InlineData("")]
    [InlineData("&$orderby=task_type")]
    [InlineData("&$orderby=error_message desc,task_type")]
    [InlineData("&$orderby=metadata/priority desc")]
    [InlineData("&$orderby=metadata/urgent,task_id desc")]
    public async Task Walking_next_links_serves_every_document_once(string order)
    {
        var lab = await CreateTasksAsync();
        var seen = new List<string>();
        string? url = $"/odata/AcquisitionTasks?$filter=block_id eq '{lab.BlockId}'&$count=true{order}";
        var pages = 0;
        while (url is not null)
        {
            var page = await _client.GetJsonAsync(url);
            Assert.True(page.Status == HttpStatusCode.OK, page.ToString());
            if (pages == 0)
            {
                Assert.Equal(Documents, page.Object["@odata.count"]!.GetValue<long>());
            }
            Assert.True(page.Value.Count <= PagedStore.PageSize);
            seen.AddRange(page.Value.Select(t => t!["task_id"]!.GetValue<string>()));
            url = page.Object["@odata.nextLink"]?.GetValue<string>();
            pages++;
        }
        Assert.Equal(Documents / PagedStore.PageSize, pages);
        Assert.Equal(Documents, seen.Count);
        Assert.Equal(Documents, seen.Distinct().Count());
    }

    [Fact]
    public async Task Top_and_skip_select_a_window_and_a_larger_top_spans_pages()
    {
        var lab = await CreateTasksAsync();
        var filter = $"$filter=block_id eq '{lab.BlockId}'&$orderby=task_id";
        var window = await _client.GetJsonAsync($"/odata/AcquisitionTasks?{filter}&$top=3&$skip=10");
        Assert.Equal([$"{lab.Prefix}-T0010", $"{lab.Prefix}-T0011", $"{lab.Prefix}-T0012"], window.Value.Select(t => t!["task_id"]!.GetValue<string>()));
        Assert.Null(window.Object["@odata.nextLink"]);

        var first = await _client.GetJsonAsync($"/odata/AcquisitionTasks?{filter}&$top=250");
        Assert.Equal(PagedStore.PageSize, first.Value.Count);
        var next = first.Object["@odata.nextLink"]!.GetValue<string>();
        Assert.Contains("$top=150", Uri.UnescapeDataString(next), StringComparison.Ordinal);
        Assert.Contains("$filter=", Uri.UnescapeDataString(next), StringComparison.Ordinal);
        var second = await _client.GetJsonAsync(next);
        Assert.Equal($"{lab.Prefix}-T0100", second.Value[0]!["task_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_skip_past_the_end_still_counts()
    {
        var lab = await CreateTasksAsync();
        var reply = await _client.GetJsonAsync($"/odata/AcquisitionTasks?$filter=block_id eq '{lab.BlockId}'&$count=true&$skip=5000");
        Assert.Empty(reply.Value);
        Assert.Equal(Documents, reply.Object["@odata.count"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_forged_skiptoken_is_400()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetJsonAsync("/odata/AcquisitionTasks?$skiptoken=not-a-token")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetJsonAsync("/odata/AcquisitionTasks?$top=-1")).Status);
    }

    /// <summary>2,500 tasks on one ROI (one batch); a third have no error message and priorities repeat, so orders have ties and nulls.</summary>
    private async Task<LabBuilder> CreateTasksAsync()
    {
        var lab = await new LabBuilder(_client).WithRoiAsync();
        var tasks = new JsonArray([.. Enumerable.Range(0, Documents).Select(i => (JsonNode)new JsonObject
        {
            ["task_id"] = $"{lab.Prefix}-T{i:0000}",
            ["roi_id"] = lab.RoiId,
            ["task_type"] = (i % 3) switch { 0 => "montage", 1 => "standard_acquisition", _ => "lens_correction" },
            ["error_message"] = i % 3 == 0 ? null : $"e{i % 7}",
            ["metadata"] = new JsonObject { ["priority"] = i % 5 == 0 ? null : i % 4, ["urgent"] = i % 2 == 0 },
        })]);
        var reply = await _client.PostJsonAsync("/odata/AcquisitionTasks", tasks);
        Assert.True(reply.Status == HttpStatusCode.Created, reply.ToString()[..Math.Min(500, reply.ToString().Length)]);
        return lab;
    }
}

/// <summary>A store with a small page size, so 2,500 documents take 25 pages.</summary>
public abstract class PagedStore(StoreKind kind) : StoreFixture(kind)
{
    public const int PageSize = 100;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["OData:MaxPageSize"] = PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}

public sealed class PagedSqliteStore() : PagedStore(StoreKind.Sqlite);

public sealed class PagedPostgresStore() : PagedStore(StoreKind.Postgres);

public sealed class PagingTests_Sqlite(PagedSqliteStore store) : PagingTests(store), IClassFixture<PagedSqliteStore>;

public sealed class PagingTests_Postgres(PagedPostgresStore store) : PagingTests(store), IClassFixture<PagedPostgresStore>;
