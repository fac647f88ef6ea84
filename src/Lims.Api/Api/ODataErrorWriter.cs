using System.Text.Json;
using Lims.Errors;
using Lims.OData;

namespace Lims.Api;

/// <summary>Writes <c>{"error":{"code","message","details":[{"code","target","message"}]}}</c>.</summary>
public static class ODataErrorWriter
{
    public static async Task WriteAsync(HttpResponse response, int status, string code, string message, IReadOnlyList<ErrorDetail> details)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(response.Body, JsonOutput.Options);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("code", code);
        writer.WriteString("message", message);
        if (details.Count > 0)
        {
            writer.WriteStartArray("details");
            foreach (var detail in details)
            {
                writer.WriteStartObject();
                writer.WriteString("code", detail.Code);
                writer.WriteString("target", detail.Target);
                writer.WriteString("message", detail.Message);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync();
    }
}
