using System.Text.Json;
using System.Text.Json.Nodes;
using Lims.Errors;

namespace Lims.Api;

/// <summary>Reads a JSON request body, turning every malformed input into a 400 or 415.</summary>
public static class RequestBody
{
    private static readonly JsonNodeOptions _nodeOptions = new() { PropertyNameCaseInsensitive = false };
    private static readonly JsonDocumentOptions _documentOptions = new() { MaxDepth = 64, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    public static async Task<JsonNode> ReadAsync(HttpRequest request)
    {
        if (request.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(415, "UnsupportedMediaType", $"Send JSON (Content-Type: application/json), not {type}.");
        }
        try
        {
            var node = await JsonNode.ParseAsync(request.Body, _nodeOptions, _documentOptions, request.HttpContext.RequestAborted)
                ?? throw ApiException.BadRequest("The body is empty or null; send a JSON object.");
            return Validation.WellFormedText.Require(node, "");
        }
        catch (JsonException e)
        {
            throw new ApiException(400, "MalformedJson", $"The body is not valid JSON: {e.Message}");
        }
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request) =>
        await ReadAsync(request) as JsonObject ?? throw ApiException.BadRequest("The body must be a JSON object.");
}
