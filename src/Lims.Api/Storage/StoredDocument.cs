using System.Text.Json.Nodes;

namespace Lims.Storage;

/// <summary>A document as stored, with the row version that its ETag is made from.</summary>
public sealed record StoredDocument(JsonObject Document, long Version)
{
    public string ETag => FormatETag(Version);

    public static string FormatETag(long version) => $"W/\"{version}\"";
}
