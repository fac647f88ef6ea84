using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Lims.Tests.Infrastructure;

/// <summary>Small helpers for JSON over HTTP that keep tests readable; every call returns status and body.</summary>
public static class HttpJson
{
    public sealed record Reply(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)
    {
        public JsonObject Object => Body as JsonObject ?? throw new InvalidOperationException($"Expected a JSON object, got {Status}: {Body}");
        public JsonArray Value => Object["value"]!.AsArray();
        public string? ErrorCode => Body?["error"]?["code"]?.GetValue<string>();
        public IEnumerable<string> ErrorTargets => Body?["error"]?["details"]?.AsArray().Select(d => d!["target"]!.GetValue<string>()) ?? [];
        public override string ToString() => $"{(int)Status} {Body?.ToJsonString()}";
    }

    public static Task<Reply> GetJsonAsync(this HttpClient client, string url, params (string Name, string Value)[] headers) =>
        SendAsync(client, HttpMethod.Get, url, null, headers);

    /// <summary>Every row of a collection query, following @odata.nextLink (a page holds at most OData:MaxPageSize rows).</summary>
    public static async Task<List<JsonNode>> GetAllRowsAsync(this HttpClient client, string url)
    {
        var rows = new List<JsonNode>();
        for (string? next = url; next is not null;)
        {
            var page = await client.GetJsonAsync(next);
            Assert.True(page.Status == HttpStatusCode.OK, page.ToString());
            rows.AddRange(page.Value.Select(row => row!));
            next = page.Object["@odata.nextLink"]?.GetValue<string>();
        }
        return rows;
    }

    public static Task<Reply> PostJsonAsync(this HttpClient client, string url, JsonNode? body, params (string Name, string Value)[] headers) =>
        SendAsync(client, HttpMethod.Post, url, body?.ToJsonString(), headers);

    public static Task<Reply> PutJsonAsync(this HttpClient client, string url, JsonNode body, params (string Name, string Value)[] headers) =>
        SendAsync(client, HttpMethod.Put, url, body.ToJsonString(), headers);

    public static Task<Reply> PatchJsonAsync(this HttpClient client, string url, JsonNode body, params (string Name, string Value)[] headers) =>
        SendAsync(client, HttpMethod.Patch, url, body.ToJsonString(), headers);

    public static Task<Reply> DeleteJsonAsync(this HttpClient client, string url, params (string Name, string Value)[] headers) =>
        SendAsync(client, HttpMethod.Delete, url, null, headers);

    public static Task<Reply> PostRawJsonAsync(this HttpClient client, string url, string body, string contentType = "application/json") =>
        SendAsync(client, HttpMethod.Post, url, body, [], contentType);

    public static async Task<Reply> SendAsync(HttpClient client, HttpMethod method, string url, string? body, (string Name, string Value)[] headers, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (text.Length > 0 && (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) ?? false))
        {
            json = JsonNode.Parse(text);
        }
        else if (text.Length > 0)
        {
            json = JsonValue.Create(text);
        }
        return new Reply(response.StatusCode, json, response);
    }

    /// <summary>Parses a JSON literal written in a test (single quotes allowed for readability).</summary>
    public static JsonObject Json(string json) => JsonNode.Parse(json.Replace('\'', '"'))!.AsObject();
}
