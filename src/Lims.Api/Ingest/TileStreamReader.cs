using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lims.Errors;
using Lims.Validation;

namespace Lims.Ingest;

/// <summary>
/// Reads tiles one by one from a request body, a JSON array or NDJSON (one object per line), without ever
/// holding the whole body: memory stays bounded whatever the request's size.
/// </summary>
public static class TileStreamReader
{
    public const string NdjsonMediaType = "application/x-ndjson";

    private static readonly JsonSerializerOptions _arrayOptions = new() { MaxDepth = 64 };
    private static readonly JsonNodeOptions _nodeOptions = new() { PropertyNameCaseInsensitive = false };
    private static readonly JsonDocumentOptions _lineOptions = new() { MaxDepth = 64 };

    public static bool IsNdjson(string? contentType) =>
        contentType is not null && contentType.StartsWith(NdjsonMediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The tiles of <paramref name="body"/> in order; a malformed item or line is a 400 naming its position.</summary>
    public static IAsyncEnumerable<JsonObject> ReadAsync(Stream body, string? contentType, CancellationToken ct)
    {
        if (contentType is not null && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(415, "UnsupportedMediaType", $"Send a JSON array (application/json) or NDJSON ({NdjsonMediaType}), not {contentType}.");
        }
        return IsNdjson(contentType) ? ReadLinesAsync(body, ct) : ReadArrayAsync(body, ct);
    }

    private static async IAsyncEnumerable<JsonObject> ReadArrayAsync(Stream body, [EnumeratorCancellation] CancellationToken ct)
    {
        var index = 0;
        var items = JsonSerializer.DeserializeAsyncEnumerable<JsonNode>(body, _arrayOptions, ct).GetAsyncEnumerator(ct);
        try
        {
            while (true)
            {
                JsonNode? item;
                try
                {
                    if (!await items.MoveNextAsync())
                    {
                        yield break;
                    }
                    item = items.Current;
                }
                catch (JsonException e)
                {
                    throw Malformed($"[{index}]", $"The body is not a valid JSON array of tiles at item {index}: {e.Message}");
                }
                yield return WellFormedText.Require(item as JsonObject, $"[{index}]") ?? throw NotAnObject($"[{index}]", $"Item {index} is not a JSON object.");
                index++;
            }
        }
        finally
        {
            await items.DisposeAsync();
        }
    }

    private static async IAsyncEnumerable<JsonObject> ReadLinesAsync(Stream body, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
        var index = 0;
        var line = 0;
        while (await reader.ReadLineAsync(ct) is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(text, _nodeOptions, _lineOptions);
            }
            catch (JsonException e)
            {
                throw Malformed($"[{index}]", $"Line {line} is not valid JSON: {e.Message}");
            }
            yield return WellFormedText.Require(node as JsonObject, $"[{index}]") ?? throw NotAnObject($"[{index}]", $"Line {line} is not a JSON object.");
            index++;
        }
    }

    private static ApiException Malformed(string target, string message) =>
        new(400, "MalformedJson", message, [new ErrorDetail("MalformedJson", target, message)]);

    private static ApiException NotAnObject(string target, string message) =>
        ApiException.BadRequest(message, [new ErrorDetail("InvalidType", target, message)]);
}
