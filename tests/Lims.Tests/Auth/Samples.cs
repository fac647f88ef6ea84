using System.Text.Json.Nodes;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.Auth;

/// <summary>Fresh valid documents of every writable collection, hanging off one lab, with ids unique to the lab.</summary>
public sealed class Samples(LabBuilder lab)
{
    private int _next;

    public LabBuilder Lab => lab;

    /// <summary>A new document for <paramref name="set"/> that nothing references (so it can be deleted).</summary>
    public JsonObject New(string set)
    {
        var n = Interlocked.Increment(ref _next);
        var id = $"{lab.Prefix}-{set}-{n}";
        return set switch
        {
            "Specimens" => new JsonObject { ["specimen_id"] = id, ["description"] = "sample" },
            "Blocks" => new JsonObject { ["block_id"] = id, ["specimen_id"] = lab.SpecimenId },
            "CuttingSessions" => new JsonObject
            {
                ["cutting_session_id"] = id,
                ["block_id"] = lab.BlockId,
                ["operator"] = "ana",
                ["start_time"] = "2026-03-04T09:00:00Z",
                ["media_type"] = "tape",
            },
            "Substrates" => new JsonObject { ["media_id"] = id, ["media_type"] = "tape" },
            "Sections" => lab.Section(id, 1000 + n),
            "ROIs" => new JsonObject { ["section_id"] = lab.SectionId, ["optical_pixel_size"] = 250.0 },
            "AcquisitionTasks" => new JsonObject { ["task_id"] = id, ["roi_id"] = lab.RoiId },
            "Acquisitions" => lab.Acquisition(id, 2, 2),
            "Tiles" => lab.Tile(n % 100, n / 100, 100),
            _ => throw new ArgumentOutOfRangeException(nameof(set), set, "not a writable collection"),
        };
    }

    /// <summary>Creates a new document through the API (as admin) and returns its URL key segment.</summary>
    public async Task<(string Url, JsonObject Document)> CreateAsync(HttpClient admin, string set)
    {
        var created = await lab.Create(set, New(set));
        foreach (var meta in created.Select(p => p.Key).Where(k => k.StartsWith('@') || k is "created_at" or "updated_at").ToList())
        {
            created.Remove(meta);
        }
        return ($"/odata/{set}({KeyLiteral(set, created)})", created);
    }

    public static string KeyLiteral(string set, JsonObject document)
    {
        var key = Lims.Collections.Catalog.Get(set).Key.Name;
        var value = document[key]!;
        return set == "ROIs" ? value.ToJsonString() : $"'{value.GetValue<string>().Replace("'", "''", StringComparison.Ordinal)}'";
    }
}
