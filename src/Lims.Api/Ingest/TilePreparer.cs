using System.Text.Json.Nodes;
using Lims.Collections;
using Lims.Collections.Definitions;
using Lims.Documents;
using Lims.Errors;
using Lims.Limits;
using Lims.Validation;

namespace Lims.Ingest;

/// <summary>
/// A validated tile in canonical form, ready to store. Only its JSON text is kept, not its node tree: tiles wait
/// for their chunk to be written, and a tree per waiting tile would outlive the young generation of the GC.
/// </summary>
public sealed record PreparedTile(string Id, string Json, double? FocusScore, long? RasterIndex);

/// <summary>
/// Validates tiles for one acquisition the way a single POST to Tiles would: ids the URL implies are filled in
/// (and contradictions rejected), every field checked by the write pipeline's validation stage
/// (<see cref="DocumentService.Validate"/>: the Tiles rules and the string limits, with the same messages), values put
/// in canonical form.
/// </summary>
/// <remarks>A package import keeps the timestamps the tiles were exported with (<paramref name="keepTimestamps"/>).</remarks>
public sealed class TilePreparer(string acquisitionId, JsonObject acquisition, string now, LimitsOptions limits, bool keepTimestamps = false)
{
    private static readonly CollectionDefinition _tiles = Tiles.Definition;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>The ids every tile of this acquisition carries, taken from the acquisition in the URL.</summary>
    private readonly (string Field, JsonNode? Value)[] _implied =
    [
        ("acquisition_id", JsonValue.Create(acquisitionId)),
        ("roi_id", acquisition["roi_id"]?.DeepClone()),
        ("specimen_id", acquisition["specimen_id"]?.DeepClone()),
    ];

    /// <summary>The prepared tile, or null with <paramref name="errors"/> extended.</summary>
    public PreparedTile? Prepare(JsonObject tile, int index, List<ErrorDetail> errors)
    {
        var prefix = $"[{index}]/";
        var before = errors.Count;
        foreach (var (field, value) in _implied)
        {
            if (tile[field] is not { } given)
            {
                if (value is not null)
                {
                    tile[field] = value.DeepClone();
                }
            }
            else if (value is not null && !JsonNode.DeepEquals(given, value))
            {
                errors.Add(new("Contradiction", prefix + field,
                    $"'{field}' is {given.ToJsonString()} but the URL's acquisition {acquisitionId} has {value.ToJsonString()}."));
            }
        }
        errors.AddRange(DocumentService.Validate(_tiles, tile, limits, prefix));
        if (errors.Count > before)
        {
            return null;
        }
        var created = keepTimestamps ? tile[Timestamps.CreatedAt]?.GetValue<string>() : null;
        var updated = keepTimestamps ? tile[Timestamps.UpdatedAt]?.GetValue<string>() : null;
        DocumentNormalizer.Normalize(_tiles, tile, fillDefaults: true);
        var id = tile[_tiles.Key.Name]!.GetValue<string>();
        if (!_seen.Add(id))
        {
            errors.Add(new("DuplicateKey", prefix + _tiles.Key.Name, $"tile_id '{id}' appears earlier in the request."));
            return null;
        }
        tile[Timestamps.CreatedAt] = created ?? now;
        tile[Timestamps.UpdatedAt] = updated ?? now;
        var focus = tile["focus_score"] is JsonValue f && f.TryGetValue<double>(out var d) ? d : (double?)null;
        return new PreparedTile(id, tile.ToJsonString(), focus, RasterIndex(tile));
    }

    public static long? RasterIndex(JsonObject? tile) => tile?["raster_index"] is JsonValue r && r.TryGetValue<long>(out var index) ? index : null;

    /// <summary>Whether two stored forms of a tile hold the same content, server-set timestamps aside.</summary>
    public static bool SameContent(JsonObject stored, JsonObject incoming)
    {
        var a = (JsonObject)stored.DeepClone();
        var b = (JsonObject)incoming.DeepClone();
        foreach (var field in Timestamps.All)
        {
            a.Remove(field.Name);
            b.Remove(field.Name);
        }
        return JsonNode.DeepEquals(a, b);
    }
}
