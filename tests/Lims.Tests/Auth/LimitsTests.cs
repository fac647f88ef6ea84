using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Lims.Limits;
using Lims.OData;
using Lims.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OData.Edm;

namespace Lims.Tests.Auth;

/// <summary>Stores with small limits, so that oversized input is cheap to send.</summary>
public sealed class SmallLimitsSqlite() : StoreFixture(StoreKind.Sqlite)
{
    protected override IReadOnlyDictionary<string, string?> Settings => LimitsTests.SmallLimits;
}

public sealed class SmallLimitsPostgres() : StoreFixture(StoreKind.Postgres)
{
    protected override IReadOnlyDictionary<string, string?> Settings => LimitsTests.SmallLimits;
}

public abstract class LimitsTests(StoreFixture store)
{
    public const int MaxBody = 64 * 1024;
    public const int MaxString = 1000;
    public const int MaxIndexed = 100;

    public static readonly IReadOnlyDictionary<string, string?> SmallLimits = new Dictionary<string, string?>
    {
        ["Limits:MaxBodyBytes"] = $"{MaxBody}",
        ["Limits:MaxIngestBodyBytes"] = $"{4 * MaxBody}",
        ["Limits:MaxStringLength"] = $"{MaxString}",
        ["Limits:MaxIndexedStringLength"] = $"{MaxIndexed}",
        // The adversarial corpus compares a digest of every table before and after; jobs must not write meanwhile.
        ["Workflow:RunJobs"] = "false",
    };

    [Fact]
    public async Task A_body_declared_larger_than_the_limit_answers_413()
    {
        var body = new JsonObject { ["specimen_id"] = "BIG", ["description"] = new string('x', MaxBody) }.ToJsonString();
        var reply = await store.Client.PostRawJsonAsync("/odata/Specimens", body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.Equal("PayloadTooLarge", reply.ErrorCode);
    }

    [Fact]
    public async Task A_chunked_body_crossing_the_limit_answers_413()
    {
        var bytes = Encoding.UTF8.GetBytes(new JsonObject { ["specimen_id"] = "BIG", ["description"] = new string('x', 2 * MaxBody) }.ToJsonString());
        using var content = new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await store.Client.PostAsync(new Uri("/odata/Specimens", UriKind.Relative), content);
        Assert.Null(content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("PayloadTooLarge", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tile_ingest_may_send_more_than_the_ordinary_limit()
    {
        var lab = await new LabBuilder(store.Client).WithAcquisitionAsync();
        var tiles = new JsonArray([.. Enumerable.Range(0, 400).Select(i => (JsonNode)lab.Tile(i / 20, i % 20, 20))]);
        var body = tiles.ToJsonString();
        Assert.InRange(body.Length, MaxBody + 1, 4 * MaxBody);

        var reply = await store.Client.PostRawJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')/tiles", body);

        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await store.Client.PostRawJsonAsync("/odata/Tiles", body)).Status);
    }

    [Theory]
    [InlineData("POST", "/odata/Acquisitions('A1')/tiles", true)]
    [InlineData("POST", "/odata/acquisitions('A-1')/Tiles/", true)]
    [InlineData("GET", "/odata/Acquisitions('A1')/tiles", false)]
    [InlineData("POST", "/odata/Tiles", false)]
    [InlineData("POST", "/odata/Acquisitions('A1')/tiles/extra", false)]
    public void Only_the_tile_ingest_route_gets_the_ingest_limit(string method, string path, bool ingest) =>
        Assert.Equal(ingest, BodySizeLimits.IsIngest(method, path));

    [Fact]
    public async Task Overlong_strings_anywhere_in_a_document_answer_400_naming_them()
    {
        var reply = await store.Client.PostJsonAsync("/odata/Specimens", new JsonObject
        {
            ["specimen_id"] = $"LONG-{Guid.NewGuid():N}",
            ["description"] = new string('d', MaxString + 1),
            ["functional_imaging_metadata"] = new JsonObject { ["links"] = new JsonArray("ok", new string('l', MaxString + 1)) },
        });
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("description", reply.ErrorTargets);
        Assert.Contains("functional_imaging_metadata/links[1]", reply.ErrorTargets);
    }

    [Fact]
    public async Task Overlong_keys_and_indexed_fields_answer_400_before_reaching_an_index()
    {
        var key = await store.Client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = new string('k', MaxIndexed + 1) });
        Assert.Equal(HttpStatusCode.BadRequest, key.Status);
        Assert.Contains("specimen_id", key.ErrorTargets);

        // Far beyond PostgreSQL's B-tree entry size: must be a 400, not a database error.
        var huge = await store.Client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = new string('k', 5000) });
        Assert.Equal(HttpStatusCode.BadRequest, huge.Status);
    }

    [Fact]
    public async Task An_overlong_property_name_answers_400()
    {
        var reply = await store.Client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = $"P-{Guid.NewGuid():N}", [new string('p', MaxString + 1)] = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("TooLong", reply.Body!["error"]!["details"]![0]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Json_nested_deeper_than_64_levels_answers_400()
    {
        var body = "{\"specimen_id\":\"DEEP\",\"functional_imaging_metadata\":" + string.Concat(Enumerable.Repeat("{\"a\":", 80)) + "1" + new string('}', 80) + "}";
        var reply = await store.Client.PostRawJsonAsync("/odata/Specimens", body);
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("MalformedJson", reply.ErrorCode);
    }

    [Fact]
    public async Task An_unexpected_failure_answers_500_without_a_stack_trace()
    {
        using var failing = store.App.WithWebHostBuilder(builder =>
            builder.ConfigureServices(services => services.AddSingleton<IODataExtension, FailingExtension>()));
        using var client = failing.CreateClient();

        var reply = await HttpJson.GetJsonAsync(client, "/odata/Specimens");

        Assert.Equal(HttpStatusCode.InternalServerError, reply.Status);
        Assert.Equal("InternalError", reply.ErrorCode);
        var text = reply.Body!.ToJsonString();
        Assert.DoesNotContain(FailingExtension.Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_routes_and_methods_answer_with_an_OData_error_body()
    {
        var missing = await HttpJson.GetJsonAsync(store.Client, "/no/such/route");
        var method = await HttpJson.SendAsync(store.Client, HttpMethod.Options, "/odata/Specimens", null, []);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("NotFound", missing.ErrorCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, method.Status);
        Assert.Equal("MethodNotAllowed", method.ErrorCode);
    }

    private sealed class FailingExtension : IODataExtension
    {
        public const string Secret = "secret-detail-of-the-failure";

        public void ExtendModel(EdmModel model, EdmEntityContainer container)
        {
        }

        public Task<bool> TryHandleAsync(ODataRequest request) => throw new InvalidOperationException(Secret);
    }

    /// <summary>A stream whose length is unknown, so the client sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

public sealed class SqliteLimitsTests(SmallLimitsSqlite store) : LimitsTests(store), IClassFixture<SmallLimitsSqlite>;

public sealed class PostgresLimitsTests(SmallLimitsPostgres store) : LimitsTests(store), IClassFixture<SmallLimitsPostgres>;

/// <summary>A bucket of three requests per key, refilled once an hour, so the fourth is refused without waiting for time.</summary>
public sealed class RateLimitedSqlite() : StoreFixture(StoreKind.Sqlite)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimit:Enabled"] = "true",
        ["RateLimit:Burst"] = "3",
        ["RateLimit:PermitsPerPeriod"] = "3",
        ["RateLimit:PeriodSeconds"] = "3600",
    };
}

public sealed class RateLimitTests(RateLimitedSqlite store) : IClassFixture<RateLimitedSqlite>
{
    [Fact]
    public async Task A_key_past_its_bucket_gets_429_with_Retry_After_while_other_keys_and_health_go_on()
    {
        // Keys are created with the admin key, which spends its own bucket: use fresh keys for both sides.
        using var admin = store.App.CreateClient();
        var first = await CreateKeyAsync(admin, "first");
        var second = await CreateKeyAsync(admin, "second");
        using var client = store.App.CreateClientWithKey(first);
        using var other = store.App.CreateClientWithKey(second);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await HttpJson.GetJsonAsync(client, "/odata/Specimens?$top=1")).Status);
        }
        var refused = await HttpJson.GetJsonAsync(client, "/odata/Specimens?$top=1");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("TooManyRequests", refused.ErrorCode);
        Assert.True(refused.Response.Headers.RetryAfter?.Delta?.TotalSeconds >= 1, refused.Response.Headers.RetryAfter?.ToString());
        Assert.Equal(HttpStatusCode.OK, (await HttpJson.GetJsonAsync(other, "/odata/Specimens?$top=1")).Status);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await HttpJson.GetJsonAsync(client, "/health")).Status);
        }
    }

    private static async Task<string> CreateKeyAsync(HttpClient admin, string prefix)
    {
        var reply = await admin.PostJsonAsync("/odata/ApiKeys", new JsonObject { ["name"] = $"{prefix}-{Guid.NewGuid():N}"[..20], ["role"] = "viewer" });
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        return reply.Object["key"]!.GetValue<string>();
    }
}
