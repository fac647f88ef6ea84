using System.Net;
using System.Text.Json.Nodes;
using Lims.Quality;
using Lims.Storage;
using Lims.Tests.Infrastructure;
using Lims.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace Lims.Tests.Quality;

/// <summary>Thresholds per task type override the global ones: here standard acquisitions may re-image up to 90 % of a raster.</summary>
public abstract class QualityThresholdTests(StoreFixture store)
{
    public static readonly Dictionary<string, string?> Lenient = new()
    {
        ["Quality:TaskTypes:standard_acquisition:MaxReimageFraction"] = "0.9",
        ["Quality:TaskTypes:montage:FailMissingPositions"] = "100",
        ["Quality:TaskTypes:montage:DarkFraction"] = "0.5",
    };

    [Fact]
    public async Task Task_type_threshold_turns_a_failed_acquisition_into_one_to_re_image_listing_the_positions()
    {
        var lab = await new LabBuilder(store.Client).WithAcquisitionAsync(2, 2);
        var tiles = new JsonArray(lab.Tile(0, 0, 2, focus: 0.8), lab.Tile(0, 1, 2, focus: 0.81), lab.Tile(1, 0, 2, focus: 0.82));
        Assert.Equal(HttpStatusCode.OK, (await store.Client.PostJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')/tiles", tiles)).Status);
        await lab.MarkAcquiredAsync();

        var outcome = await store.App.Services.GetRequiredService<IAcquisitionEvaluator>().EvaluateAsync(lab.AcquisitionId, default);

        Assert.Equal("to be re-imaged", outcome.Status);
        Assert.EndsWith("re-image 1 raster position(s) (row,col): (1,1)", outcome.Reason, StringComparison.Ordinal);
        var report = (await HttpJson.GetJsonAsync(store.Client, $"/quality/acquisitions/{lab.AcquisitionId}")).Object;
        Assert.Equal(0.9, report["thresholds"]!["max_reimage_fraction"]!.GetValue<double>());
        Assert.Equal("standard_acquisition", report["task_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tiles_are_judged_by_their_own_task_type_and_an_roi_mixing_types_leaves_the_blocks_alone()
    {
        var lab = await new LabBuilder(store.Client).WithAcquisitionAsync(1, 2);
        await lab.Create("AcquisitionTasks", new JsonObject { ["task_id"] = $"{lab.TaskId}-M", ["roi_id"] = lab.RoiId, ["task_type"] = "montage" });
        var montage = lab.Acquisition($"{lab.AcquisitionId}-M", 1, 2);
        montage["acquisition_task_id"] = $"{lab.TaskId}-M";
        await lab.Create("Acquisitions", montage);
        foreach (var acquisition in new[] { lab.AcquisitionId, $"{lab.AcquisitionId}-M" })
        {
            // max_value 100 of 255: dark for montage tasks (below half of full scale), not for standard ones (5 %).
            var tiles = new JsonArray([.. Enumerable.Range(0, 2).Select(col =>
            {
                var tile = lab.Tile(0, col, 2, acquisitionId: acquisition);
                tile["max_value"] = 100;
                return (JsonNode)tile;
            })]);
            Assert.Equal(HttpStatusCode.OK, (await store.Client.PostJsonAsync($"/odata/Acquisitions('{acquisition}')/tiles", tiles)).Status);
        }

        var own = (await HttpJson.GetJsonAsync(store.Client, $"/quality/acquisitions/{lab.AcquisitionId}-M?refresh=true")).Object;
        var bases = await BasesAsync($"{lab.AcquisitionId}-M");
        var roi = (await HttpJson.GetJsonAsync(store.Client, $"/quality/rois/{lab.RoiId}?refresh=true")).Object;

        Assert.Equal(2, own["intensity"]!["dark_tiles"]!.GetValue<long>());
        // The ROI report applies its first task type's thresholds to its verdict, each acquisition's own to its tiles.
        Assert.Equal("standard_acquisition", roi["task_type"]!.GetValue<string>());
        Assert.Equal(2, roi["intensity"]!["dark_tiles"]!.GetValue<long>());
        Assert.Equal(bases, await BasesAsync($"{lab.AcquisitionId}-M"));
    }

    private async Task<string[]> BasesAsync(string acquisitionId) =>
        await store.App.Services.GetRequiredService<DocumentStore>().ReadAsync(async session =>
        {
            var bases = new List<string>();
            await using var command = session.Command($"SELECT basis FROM {QualityBlocksTable.Blocks} WHERE acquisition_id = @a ORDER BY block", ("@a", acquisitionId));
            await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
            while (await reader.ReadAsync(CancellationToken.None))
            {
                bases.Add(reader.GetString(0));
            }
            return bases.ToArray();
        }, default);
}

public sealed class LenientSqliteStore() : StoreFixture(StoreKind.Sqlite)
{
    protected override IReadOnlyDictionary<string, string?> Settings => QualityThresholdTests.Lenient;
}

public sealed class LenientPostgresStore() : StoreFixture(StoreKind.Postgres)
{
    protected override IReadOnlyDictionary<string, string?> Settings => QualityThresholdTests.Lenient;
}

public sealed class QualityThresholdSqliteTests(LenientSqliteStore store) : QualityThresholdTests(store), IClassFixture<LenientSqliteStore>;

public sealed class QualityThresholdPostgresTests(LenientPostgresStore store) : QualityThresholdTests(store), IClassFixture<LenientPostgresStore>;
