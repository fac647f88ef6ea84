using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lims.OData;

/// <summary>Response JSON settings: quotes and non-ASCII text written as is (the payload is JSON, never HTML).</summary>
public static class JsonOutput
{
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
