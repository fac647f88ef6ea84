using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.OData;

/// <summary>$batch in both formats: independent requests, atomic change sets, Content-ID references, dependsOn, ETags, access and limits.</summary>
public abstract class BatchTests(StoreFixture store)
{
    private HttpClient Client => store.Client;

    [Fact]
    public async Task Json_batch_answers_each_request_in_order()
    {
        var id = NewId("SP");

        var reply = await PostJsonBatchAsync(Client, new JsonArray(
            Request("1", "POST", "Specimens", new JsonObject { ["specimen_id"] = id }),
            Request("2", "GET", $"Specimens('{id}')"),
            Request("3", "GET", "Specimens('no-such-specimen')")));

        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        var responses = reply.Object["responses"]!.AsArray();
        Assert.Equal([201, 200, 404], responses.Select(r => r!["status"]!.GetValue<int>()));
        Assert.Equal(id, responses[1]!["body"]!["specimen_id"]!.GetValue<string>());
        Assert.Equal("NotFound", responses[2]!["body"]!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_atomicity_group_commits_together_and_its_content_ids_resolve()
    {
        var specimen = NewId("SP");
        var block = NewId("B");

        var reply = await PostJsonBatchAsync(Client, new JsonArray(
            Request("1", "POST", "Specimens", new JsonObject { ["specimen_id"] = specimen }, group: "g1"),
            Request("2", "POST", "Blocks", new JsonObject { ["block_id"] = block, ["specimen_id"] = specimen }, group: "g1"),
            Request("3", "PATCH", "$1", new JsonObject { ["description"] = "from the batch" }, group: "g1", dependsOn: "1"),
            Request("4", "GET", "$1/blocks", dependsOn: "g1")));

        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        var responses = reply.Object["responses"]!.AsArray();
        Assert.Equal([201, 201, 200, 200], responses.Select(r => r!["status"]!.GetValue<int>()));
        Assert.Equal(block, responses[3]!["body"]!["value"]![0]!["block_id"]!.GetValue<string>());
        var stored = await Client.GetJsonAsync($"/odata/Specimens('{specimen}')");
        Assert.Equal("from the batch", stored.Object["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failing_atomicity_group_stores_nothing_and_its_dependents_answer_424()
    {
        var specimen = NewId("SP");

        var reply = await PostJsonBatchAsync(Client, new JsonArray(
            Request("1", "POST", "Specimens", new JsonObject { ["specimen_id"] = specimen }, group: "g1"),
            Request("2", "POST", "Blocks", new JsonObject { ["block_id"] = NewId("B"), ["specimen_id"] = "no-such-specimen" }, group: "g1"),
            Request("3", "GET", "Specimens?$top=1", dependsOn: "g1")),
            ("Prefer", "odata.continue-on-error"));

        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        var statuses = reply.Object["responses"]!.AsArray().Select(r => r!["status"]!.GetValue<int>()).ToList();
        Assert.Equal([400, 424], statuses);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetJsonAsync($"/odata/Specimens('{specimen}')")).Status);
    }

    [Fact]
    public async Task Multipart_batch_runs_a_change_set_with_references_and_checks_each_ETag()
    {
        var specimen = NewId("SP");
        var body = Multipart("batch_a",
            Operation("GET", "Specimens?$top=1"),
            Changeset("changeset_b",
                Operation("POST", "Specimens", $"{{\"specimen_id\":\"{specimen}\"}}", contentId: "1"),
                Operation("PATCH", "$1", "{\"description\":\"patched\"}", contentId: "2")),
            Operation("PATCH", $"Specimens('{specimen}')", "{\"description\":\"stale\"}", headers: "If-Match: W/\"999\""));

        var (status, contentType, text) = await PostRawAsync(Client, body, "multipart/mixed; boundary=batch_a");

        Assert.True(status == HttpStatusCode.OK, text);
        Assert.StartsWith("multipart/mixed", contentType, StringComparison.Ordinal);
        var answered = text.Split("HTTP/1.1 ").Skip(1).Select(part => part[..3]).ToList();
        Assert.Equal(["200", "201", "200", "412"], answered);
        var stored = await Client.GetJsonAsync($"/odata/Specimens('{specimen}')");
        Assert.Equal("patched", stored.Object["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_batch_may_do_only_what_its_key_may()
    {
        using var viewer = await store.ClientForRoleAsync("viewer");
        var specimen = NewId("SP");

        var reply = await PostJsonBatchAsync(viewer, new JsonArray(
            Request("1", "GET", "Specimens?$top=1"),
            Request("2", "POST", "Specimens", new JsonObject { ["specimen_id"] = specimen })),
            ("Prefer", "odata.continue-on-error"));

        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        Assert.Equal([200, 403], reply.Object["responses"]!.AsArray().Select(r => r!["status"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetJsonAsync($"/odata/Specimens('{specimen}')")).Status);
    }

    [Fact]
    public async Task A_batch_over_the_size_limit_answers_400_and_runs_nothing()
    {
        var specimen = NewId("SP");
        var requests = new JsonArray(Request("0", "POST", "Specimens", new JsonObject { ["specimen_id"] = specimen }));
        for (var i = 1; i <= 100; i++)
        {
            requests.Add(Request(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "GET", "Specimens?$top=1"));
        }

        var reply = await PostJsonBatchAsync(Client, requests);

        Assert.True(reply.Status == HttpStatusCode.BadRequest, reply.ToString());
        Assert.Contains("OData:MaxBatchOperations", reply.Body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_batch_answers_400()
    {
        var json = await Client.PostRawJsonAsync("/odata/$batch", "{\"requests\": [{\"id\": \"1\"}]}");
        var (status, _, _) = await PostRawAsync(Client, "--x\r\nnot a part", "multipart/mixed; boundary=x");

        Assert.True(json.Status == HttpStatusCode.BadRequest, json.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    private static JsonObject Request(string id, string method, string url, JsonObject? body = null, string? group = null, string? dependsOn = null)
    {
        var request = new JsonObject { ["id"] = id, ["method"] = method, ["url"] = url };
        if (group is not null)
        {
            request["atomicityGroup"] = group;
        }
        if (dependsOn is not null)
        {
            request["dependsOn"] = new JsonArray(dependsOn);
        }
        if (body is not null)
        {
            request["headers"] = new JsonObject { ["content-type"] = "application/json" };
            request["body"] = body;
        }
        return request;
    }

    private static Task<HttpJson.Reply> PostJsonBatchAsync(HttpClient client, JsonArray requests, params (string, string)[] headers) =>
        HttpJson.SendAsync(client, HttpMethod.Post, "/odata/$batch", new JsonObject { ["requests"] = requests }.ToJsonString(), headers);

    private static string Operation(string method, string url, string? body = null, string? contentId = null, string? headers = null) =>
        "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n" + (contentId is null ? "" : $"Content-ID: {contentId}\r\n") + "\r\n" +
        $"{method} {url} HTTP/1.1\r\n" + (headers is null ? "" : headers + "\r\n") +
        (body is null ? "Accept: application/json\r\n\r\n" : $"Content-Type: application/json\r\n\r\n{body}\r\n");

    private static string Changeset(string boundary, params string[] operations) =>
        $"Content-Type: multipart/mixed; boundary={boundary}\r\n\r\n" + Multipart(boundary, operations);

    private static string Multipart(string boundary, params string[] parts) =>
        string.Concat(parts.Select(p => $"--{boundary}\r\n{p}\r\n")) + $"--{boundary}--\r\n";

    private static async Task<(HttpStatusCode Status, string ContentType, string Text)> PostRawAsync(HttpClient client, string body, string contentType)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        using var response = await client.PostAsync("/odata/$batch", content);
        return (response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "", await response.Content.ReadAsStringAsync());
    }

    private static string NewId(string kind) => $"{kind}-{Guid.NewGuid():N}"[..20];
}

public sealed class BatchTestsOnSqlite(SqliteStore store) : BatchTests(store), IClassFixture<SqliteStore>;

public sealed class BatchTestsOnPostgres(PostgresStore store) : BatchTests(store), IClassFixture<PostgresStore>;
