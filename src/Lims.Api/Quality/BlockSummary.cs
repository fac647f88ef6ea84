using System.Runtime.InteropServices;
using System.Text.Json;

namespace Lims.Quality;

/// <summary>
/// What a report needs of one block of an acquisition's tiles, computed with one basis (thresholds, raster): counts
/// and extremes that add up across blocks, the raster positions of the block with no tile, and the tiles with a fault
/// that does not depend on the whole scope (all but blurry). The block's focus scores and match qualities are kept
/// apart, sorted, for the distributions; its failing tiles apart too.
/// </summary>
public sealed class BlockSummary
{
    public long Tiles { get; set; }
    /// <summary>Distinct raster positions of the block inside the expected raster that have a tile.</summary>
    public long Present { get; set; }
    public long FocusScored { get; set; }
    public double FocusSum { get; set; }
    public long Dark { get; set; }
    public long Saturated { get; set; }
    public long LowContrast { get; set; }
    public long Frozen { get; set; }
    public long Entries { get; set; }
    public long InvalidEntries { get; set; }
    public long InvalidTiles { get; set; }
    public long DriftEntries { get; set; }
    public long DriftTiles { get; set; }
    public double? MeanMin { get; set; }
    public double? MeanMax { get; set; }
    public double? StdMin { get; set; }
    public double? StdMax { get; set; }
    public List<long> Missing { get; set; } = [];
    /// <summary>Tiles with a fault other than blur; the tiles themselves are stored apart, read only while a report's list has room.</summary>
    public long Failing { get; set; }
    /// <summary>The focus scores of those tiles, sorted: how many of them are also blurry is a count below the threshold.</summary>
    public List<double> FailingFocus { get; set; } = [];

    private static readonly JsonSerializerOptions _json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public string ToJson() => JsonSerializer.Serialize(this, _json);

    public static BlockSummary FromJson(string json) => JsonSerializer.Deserialize<BlockSummary>(json, _json)!;

    public static string FaultsToJson(List<FailingTile> faults) => JsonSerializer.Serialize(faults, QualityReport.JsonOptions);

    public static List<FailingTile> FaultsFromJson(string json) => JsonSerializer.Deserialize<List<FailingTile>>(json, QualityReport.JsonOptions)!;

    /// <summary>Doubles as raw little-endian bytes: a block's sorted values are read back without parsing.</summary>
    public static byte[] Pack(List<double> values) => MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(values)).ToArray();

    public static ReadOnlySpan<double> Unpack(byte[] bytes) => MemoryMarshal.Cast<byte, double>(bytes);
}
