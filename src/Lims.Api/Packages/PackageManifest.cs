using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lims.Packages;

/// <summary>
/// <c>manifest.json</c>, the last entry of every package: what was exported, from which Lims and by which request,
/// the count per collection, every other file with its size and SHA-256, and the parent-child links between documents.
/// </summary>
public sealed record PackageManifest
{
    public const string FileName = "manifest.json";
    public const string MetadataFile = "$metadata.xml";
    public const string Format = "lims-package";
    public const int CurrentVersion = 1;

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    /// <summary>The same naming on one line (NDJSON progress).</summary>
    public static readonly JsonSerializerOptions JsonLineOptions = new(JsonOptions) { WriteIndented = false };

    [JsonPropertyName("format")]
    public string PackageFormat { get; init; } = Format;
    public int FormatVersion { get; init; } = CurrentVersion;
    public required ManifestSource Source { get; init; }
    public required ManifestRequest Request { get; init; }
    public required IReadOnlyDictionary<string, long> Counts { get; init; }
    public required IReadOnlyList<ManifestFile> Files { get; init; }
    public required IReadOnlyList<ManifestLink> Links { get; init; }

    public static string LimsVersion =>
        typeof(PackageManifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(PackageManifest).Assembly.GetName().Version?.ToString() ?? "unknown";
}

/// <summary>The Lims the package came from.</summary>
public sealed record ManifestSource(string Lims, string Version, string Store, string ExportedAt);

/// <summary>What was asked for: the root document, the URL or command, the archive format.</summary>
public sealed record ManifestRequest(string EntitySet, JsonElement Key, string Request, string Archive);

/// <summary>A file of the package. Document files name their collection, tile files their acquisition, report files their report.</summary>
public sealed record ManifestFile(string Path, long Bytes, string Sha256)
{
    public string? Collection { get; init; }
    public long? Count { get; init; }
    public string? AcquisitionId { get; init; }
    public string? ReportId { get; init; }
}

/// <summary>A document's reference to its parent: <c>Blocks('B1')/specimen_id → Specimens('S1')</c>.</summary>
public sealed record ManifestLink(string Collection, JsonElement Key, string Field, string Parent, JsonElement ParentKey);
