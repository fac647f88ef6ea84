using System.Net;
using System.Text.Json.Nodes;
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
    };

    [Fact]
    public async Task Task_type_threshold_turns_a_failed_acquisition_into_one_to_re_image_listing_the_positions()
    {
        var lab = await new LabBuilder(store.Client).WithAcquisitionAsync(2, 2);
        var tiles = new JsonArray(lab.Tile(0, 0, 2, focus: 0.8), lab.Tile(0, 1, 2, focus: 0.81), lab.Tile(1, 0, 2, focus: 0.82));
        Assert.Equal(HttpStatusCode.OK, (await store.Client.PostJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')/tiles", tiles)).Status);

        var outcome = await store.App.Services.GetRequiredService<IAcquisitionEvaluator>().EvaluateAsync(lab.AcquisitionId, default);

        Assert.Equal("to be re-imaged", outcome.Status);
        Assert.EndsWith("re-image 1 raster position(s) (row,col): (1,1)", outcome.Reason, StringComparison.Ordinal);
        var report = (await HttpJson.GetJsonAsync(store.Client, $"/quality/acquisitions/{lab.AcquisitionId}")).Object;
        Assert.Equal(0.9, report["thresholds"]!["max_reimage_fraction"]!.GetValue<double>());
        Assert.Equal("standard_acquisition", report["task_type"]!.GetValue<string>());
    }
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
