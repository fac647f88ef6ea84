using System.Net;
using System.Text.Json.Nodes;

namespace Lims.Tests.Infrastructure;

/// <summary>
/// Creates a valid chain specimen → block → cutting session → substrate → section → ROI → task → acquisition
/// through the API, with ids unique to the caller, so each test owns its data.
/// </summary>
public sealed class LabBuilder(HttpClient client)
{
    public string Prefix { get; } = "T" + Guid.NewGuid().ToString("N")[..10];
    public string SpecimenId => $"{Prefix}-SP";
    public string BlockId => $"{Prefix}-B1";
    public string CuttingSessionId => $"{Prefix}-CS1";
    public string MediaId => $"{Prefix}-TAPE";
    public string SectionId => $"{Prefix}-S1";
    public long RoiId { get; private set; }
    public string TaskId => $"{Prefix}-TASK";
    public string AcquisitionId => $"{Prefix}-ACQ";

    /// <summary>Everything up to the ROI.</summary>
    public async Task<LabBuilder> WithRoiAsync()
    {
        await Create("Specimens", new JsonObject { ["specimen_id"] = SpecimenId, ["description"] = "test specimen" });
        await Create("Blocks", new JsonObject { ["block_id"] = BlockId, ["specimen_id"] = SpecimenId });
        await Create("CuttingSessions", new JsonObject
        {
            ["cutting_session_id"] = CuttingSessionId,
            ["block_id"] = BlockId,
            ["operator"] = "ana",
            ["start_time"] = "2026-03-04T09:00:00Z",
            ["media_type"] = "tape",
        });
        await Create("Substrates", new JsonObject
        {
            ["media_id"] = MediaId,
            ["media_type"] = "tape",
            ["apertures"] = new JsonArray(new JsonObject { ["uid"] = "A0", ["index"] = 0 }, new JsonObject { ["uid"] = "A1", ["index"] = 1 }),
        });
        await Create("Sections", Section(SectionId, 1));
        var roi = await Create("ROIs", new JsonObject { ["section_id"] = SectionId, ["optical_pixel_size"] = 250.0 });
        RoiId = roi["roi_id"]!.GetValue<long>();
        return this;
    }

    /// <summary>Everything up to an imaging acquisition of a task.</summary>
    public async Task<LabBuilder> WithAcquisitionAsync(int rows = 4, int cols = 5)
    {
        await WithRoiAsync();
        await Create("AcquisitionTasks", new JsonObject { ["task_id"] = TaskId, ["roi_id"] = RoiId });
        await Create("Acquisitions", Acquisition(AcquisitionId, rows, cols));
        return this;
    }

    /// <summary>Ends imaging (imaging → acquired), so a quality report judges the acquisition instead of reporting its progress.</summary>
    public async Task MarkAcquiredAsync(string? acquisitionId = null)
    {
        var reply = await client.PostJsonAsync($"/odata/Acquisitions('{acquisitionId ?? AcquisitionId}')/Lims.MarkAcquired", new JsonObject());
        if (reply.Status != System.Net.HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Could not mark {acquisitionId ?? AcquisitionId} acquired: {reply}");
        }
    }

    public JsonObject Section(string id, int number) => new()
    {
        ["section_id"] = id,
        ["section_number"] = number,
        ["cutting_session_id"] = CuttingSessionId,
        ["media_id"] = MediaId,
        ["aperture_uid"] = "A0",
        ["aperture_index"] = 0,
        ["section_metrics"] = new JsonObject { ["quality"] = "good", ["thickness_um"] = 0.04, ["tissue_confidence_score"] = 0.9 },
    };

    public JsonObject Acquisition(string id, int rows, int cols) => new()
    {
        ["acquisition_id"] = id,
        ["acquisition_task_id"] = TaskId,
        ["hardware_settings"] = new JsonObject { ["scope_id"] = "TEMCA-T", ["camera_bit_depth"] = 12 },
        ["acquisition_settings"] = new JsonObject
        {
            ["magnification"] = 2900,
            ["tile_size"] = new JsonArray(4000, 4000),
            ["tile_overlap"] = 0.1,
            ["saved_bit_depth"] = 8,
            ["raster"] = new JsonObject { ["rows"] = rows, ["cols"] = cols },
        },
        ["start_time"] = "2026-03-05T10:00:00Z",
    };

    /// <summary>A plausible tile at a raster position.</summary>
    public JsonObject Tile(int row, int col, int cols, double focus = 0.8, string? acquisitionId = null) => new()
    {
        ["tile_id"] = $"{acquisitionId ?? AcquisitionId}-r{row:000}-c{col:000}",
        ["acquisition_id"] = acquisitionId ?? AcquisitionId,
        ["raster_index"] = (row * cols) + col,
        ["raster_position"] = new JsonObject { ["row"] = row, ["col"] = col },
        ["stage_position"] = new JsonObject { ["x"] = col * 3600.0, ["y"] = row * 3600.0 },
        ["focus_score"] = focus,
        ["min_value"] = 10,
        ["max_value"] = 240,
        // Distinct at neighbouring raster indexes (equal statistics there are a frozen frame to QC), within [min, max].
        ["mean_value"] = 20.5 + (((row * cols) + col) % 200),
        ["std_value"] = 20.0,
        ["matcher"] = new JsonArray(new JsonObject { ["row"] = row, ["col"] = col + 1, ["dX"] = 1.0, ["dY"] = 0.5, ["match_quality"] = 0.9, ["position"] = "right" }),
    };

    public async Task<JsonObject> Create(string entitySet, JsonObject document)
    {
        var reply = await client.PostJsonAsync($"/odata/{entitySet}", document);
        Assert.True(reply.Status == HttpStatusCode.Created, $"POST {entitySet}: {reply}");
        return reply.Object;
    }
}
