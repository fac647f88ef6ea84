using System.Text;
using Lims.Collections.Definitions;
using Lims.Jobs;
using Lims.Storage;
using Lims.Workflow;

namespace Lims.Quality;

/// <summary>
/// Stable URLs of quality reports (stored by the quality-report job, computed on demand when not stored yet;
/// <c>?refresh=true</c> recomputes): JSON, CSV of failing tiles and an SVG focus heatmap, per acquisition and per ROI.
/// </summary>
public static class QualityEndpoints
{
    public static IServiceCollection AddLimsQuality(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(new QualityThresholdsProvider(configuration));
        services.AddSingleton<QualityReportBuilder>();
        services.AddSingleton<ISchemaContributor, QualityBlocksTable>();
        services.AddSingleton<QualityReportService>();
        services.AddSingleton<IJobHandler, QualityReportJob>();
        services.AddSingleton<IAcquisitionEvaluator, QualityEvaluator>();
        return services;
    }

    public static IEndpointRouteBuilder MapLimsQuality(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/quality").WithTags("Quality");
        group.MapGet("/acquisitions/{acquisitionId}", async (string acquisitionId, bool? refresh, QualityReportService reports, CancellationToken ct) =>
            Json(await reports.GetAcquisitionReportAsync(acquisitionId, refresh == true, ct))).WithSummary("Quality report of one acquisition (JSON).");
        group.MapGet("/rois/{roiId:long}", async (long roiId, bool? refresh, QualityReportService reports, CancellationToken ct) =>
            Json(await reports.GetRoiReportAsync(roiId, refresh == true, ct))).WithSummary("Quality report of an ROI's current acquisitions (JSON).");
        group.MapGet("/acquisitions/{acquisitionId}/failing-tiles.csv", async (string acquisitionId, bool? refresh, QualityReportService reports, CancellationToken ct) =>
            Csv(await reports.GetAcquisitionReportAsync(acquisitionId, refresh == true, ct))).WithSummary("Failing tiles of an acquisition with their faults (CSV).");
        group.MapGet("/rois/{roiId:long}/failing-tiles.csv", async (long roiId, bool? refresh, QualityReportService reports, CancellationToken ct) =>
            Csv(await reports.GetRoiReportAsync(roiId, refresh == true, ct))).WithSummary("Failing tiles of an ROI with their faults (CSV).");
        group.MapGet("/acquisitions/{acquisitionId}/heatmap.svg", async (string acquisitionId, bool? refresh, QualityReportService reports, DocumentStore store, CancellationToken ct) =>
            Svg(await reports.GetAcquisitionReportAsync(acquisitionId, refresh == true, ct), store, ct)).WithSummary("Focus-score heatmap of an acquisition (SVG).");
        group.MapGet("/rois/{roiId:long}/heatmap.svg", async (long roiId, bool? refresh, QualityReportService reports, DocumentStore store, CancellationToken ct) =>
            Svg(await reports.GetRoiReportAsync(roiId, refresh == true, ct), store, ct)).WithSummary("Focus-score heatmap of an ROI (SVG).");
        return app;
    }

    private static IResult Json(QualityReport report) => Results.Json(report.ToDocument(), QualityReport.JsonOptions);

    private static IResult Csv(QualityReport report) =>
        Results.Text(FailingTilesCsv.Render(report), "text/csv; charset=utf-8", Encoding.UTF8);

    /// <summary>The heatmap, written while its tiles are read (one query per acquisition, in raster order).</summary>
    private static IResult Svg(QualityReport report, DocumentStore store, CancellationToken ct) =>
        Results.Stream(output => store.ReadAsync(async session =>
        {
            await HeatmapSvg.WriteAsync(report, HeatmapTiles(session, ct), output, ct);
            return true;
        }, ct), "image/svg+xml; charset=utf-8");

    /// <summary>The heatmap's tile source: each acquisition's placed tiles in raster order, one streamed query each.</summary>
    public static Func<string, IAsyncEnumerable<(long Index, double? Focus)>> HeatmapTiles(StoreSession session, CancellationToken ct) =>
        acquisitionId => TilesOf(session, acquisitionId, ct);

    private static async IAsyncEnumerable<(long Index, double? Focus)> TilesOf(StoreSession session, string acquisitionId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var command = session.Command(
            $"SELECT raster_index, focus_score FROM {Tiles.Definition.Table} WHERE acquisition_id = @acquisition AND raster_index >= 0 ORDER BY raster_index, id",
            ("@acquisition", acquisitionId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetDouble(1));
        }
    }
}
