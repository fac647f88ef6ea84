using System.Data.Common;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Lims.Collections;
using Lims.Collections.Definitions;
using Lims.Documents;
using Lims.Storage;
using Lims.Validation;

namespace Lims.Quality;

/// <summary>
/// Computes quality reports with SQL aggregates over the tiles (distributions, counts, per-tile faults); only
/// summaries and failing tiles leave the database. ROI reports cover current acquisitions only: one that another
/// acquisition replaces (replaces_acquisition_id) does not count.
/// </summary>
public sealed class QualityReportBuilder(QualityThresholdsProvider thresholdsProvider, TimeProvider time)
{
    /// <summary>Longest list of positions or failing tiles kept in one report; counts stay exact beyond it.</summary>
    public const int ListLimit = 10_000;

    public static string AcquisitionReportId(string acquisitionId) => $"acquisition:{acquisitionId}";

    public static string RoiReportId(long roiId) => $"roi:{roiId.ToString(CultureInfo.InvariantCulture)}";

    public async Task<QualityReport> ForAcquisitionAsync(StoreSession session, string acquisitionId, CancellationToken ct)
    {
        var stored = await session.GetAsync(Acquisitions.Definition, acquisitionId, ct) ?? throw DocumentService.NotFound(Acquisitions.Definition, acquisitionId);
        var roiId = stored.Document["roi_id"] is JsonValue r && r.TryGetValue<long>(out var id) ? id : (long?)null;
        return await BuildAsync(session, AcquisitionReportId(acquisitionId), "acquisition", acquisitionId, roiId, [stored.Document], ct);
    }

    /// <summary>
    /// The ROI's report. <paramref name="built"/> is an acquisition report built in the same transaction: when it
    /// covers the ROI's only current acquisition (the usual case), the ROI report has its very figures, and the blocks
    /// are not merged a second time.
    /// </summary>
    public async Task<QualityReport> ForRoiAsync(StoreSession session, long roiId, CancellationToken ct, QualityReport? built = null)
    {
        _ = await session.GetAsync(Rois.Definition, roiId, ct) ?? throw DocumentService.NotFound(Rois.Definition, roiId);
        var acquisitions = new List<JsonObject>();
        var table = Acquisitions.Definition.Table;
        await using (var command = session.Command(
            $"SELECT a.doc FROM {table} a WHERE a.roi_id = @roi AND NOT EXISTS (SELECT 1 FROM {table} b WHERE b.replaces_acquisition_id = a.id) ORDER BY a.id",
            ("@roi", roiId)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                acquisitions.Add(JsonNode.Parse(reader.GetString(0))!.AsObject());
            }
        }
        if (built is { Scope: "acquisition" } && acquisitions is [var only] && only["acquisition_id"]?.GetValue<string>() == built.AcquisitionId)
        {
            return built with { ReportId = RoiReportId(roiId), Scope = "roi", AcquisitionId = null, RoiId = roiId };
        }
        return await BuildAsync(session, RoiReportId(roiId), "roi", null, roiId, acquisitions, ct);
    }

    private async Task<QualityReport> BuildAsync(
        StoreSession session, string reportId, string scope, string? acquisitionId, long? roiId, List<JsonObject> acquisitions, CancellationToken ct)
    {
        // Reports of one ROI (and of its acquisitions) take turns, so none reads blocks another is rewriting; one lock
        // per report, never one per acquisition, so two reports cannot wait for each other.
        await session.ExecuteAsync(session.Dialect.TransactionLock(roiId is { } roi ? $"quality-roi:{roi}" : $"quality-acquisition:{acquisitionId}"), ct);
        var sql = new QualitySql(session.Dialect);
        await sql.PrepareAsync(session, ct);
        var taskTypes = await TaskTypesAsync(session, acquisitions, ct);
        var taskType = acquisitions.Select(a => taskTypes.GetValueOrDefault(Id(a))).FirstOrDefault(t => t is not null);
        var thresholds = thresholdsProvider.For(taskType);

        var scopes = new List<(AcquisitionRaster Raster, List<StoredBlock> Blocks)>();
        foreach (var acquisition in acquisitions)
        {
            // Tiles are judged by the thresholds of the task that acquired them, whatever the report's scope, so an
            // acquisition's blocks have one basis (an ROI mixing task types would otherwise have its acquisition
            // reports and its own recompute every block in turn). The scope's thresholds set blur and the verdict.
            var own = thresholdsProvider.For(taskTypes.GetValueOrDefault(Id(acquisition)));
            var raster = await RasterAsync(session, acquisition, own, ct);
            await QualityBlockRefresher.RefreshAsync(session, sql, raster, own, ct);
            scopes.Add((raster, await LoadBlocksAsync(session, raster.AcquisitionId, ct)));
        }
        var blocks = scopes.SelectMany(s => s.Blocks).ToList();
        var focus = Focus(blocks, thresholds);

        var missing = new List<RasterPosition>();
        var failing = new List<FailingTile>();
        long missingCount = 0, failingCount = 0, blurryCount = 0;
        foreach (var (raster, own) in scopes)
        {
            missingCount += raster.ExpectedTiles - own.Sum(b => b.Summary.Present);
            missing.AddRange(Missing(raster, own, ListLimit - missing.Count));
            var blurry = focus.Threshold is { } t ? own.Sum(b => (long)OrderStatistics.CountBelow(BlockSummary.Unpack(b.Focus), t)) : 0;
            var both = focus.Threshold is { } u ? own.Sum(b => (long)OrderStatistics.CountBelow(CollectionsMarshal.AsSpan(b.Summary.FailingFocus), u)) : 0;
            blurryCount += blurry;
            failingCount += own.Sum(b => b.Summary.Failing) + blurry - both;
            failing.AddRange(await FailingAsync(session, raster, own, blurry, focus.Threshold, thresholds, ListLimit - failing.Count, ct));
        }

        long Total(Func<BlockSummary, long> field) => blocks.Sum(b => field(b.Summary));
        double? Min(Func<BlockSummary, double?> field) => blocks.Select(b => field(b.Summary)).Min();
        double? Max(Func<BlockSummary, double?> field) => blocks.Select(b => field(b.Summary)).Max();
        var matchValues = Concat(blocks.Select(b => b.Match));
        var matcher = new MatcherSummary(Total(b => b.Entries), Total(b => b.Entries) == 0 ? null : Round(OrderStatistics.Percentile(matchValues, 0.5)),
            Total(b => b.InvalidEntries), Total(b => b.InvalidTiles), Total(b => b.DriftEntries), Total(b => b.DriftTiles));

        var rasters = scopes.Select(s => s.Raster with { TileCount = s.Blocks.Sum(b => b.Summary.Tiles) }).ToList();
        var report = new QualityReport
        {
            ReportId = reportId,
            Scope = scope,
            AcquisitionId = acquisitionId,
            RoiId = roiId,
            TaskType = taskType,
            Verdict = "pass",
            QcStatus = "qc-passed",
            Reasons = [],
            ComputedAt = DocumentNormalizer.FormatTime(time.GetUtcNow()),
            Acquisitions = rasters,
            ExpectedTiles = rasters.Sum(r => r.ExpectedTiles > 0 ? r.ExpectedTiles : r.TileCount),
            TileCount = Total(b => b.Tiles),
            MissingCount = missingCount,
            MissingPositions = missing,
            Focus = focus with { BelowThreshold = blurryCount },
            Intensity = new IntensitySummary(Total(b => b.Dark), Total(b => b.Saturated), Total(b => b.LowContrast),
                Round(Min(b => b.MeanMin)), Round(Max(b => b.MeanMax)), Round(Min(b => b.StdMin)), Round(Max(b => b.StdMax))),
            FrozenFrames = Total(b => b.Frozen),
            Matcher = matcher,
            FailingTileCount = failingCount,
            FailingTiles = failing,
            ReimagePositions = [],
            Thresholds = thresholds,
            FocusTotals = (Total(b => b.FocusScored), blocks.Sum(b => b.Summary.FocusSum)),
        };
        var imaging = acquisitions.Any(a => a["status"] is JsonValue status && status.GetValue<string>() == "imaging");
        return QualityVerdict.Apply(report, thresholds, imaging);
    }

    /// <summary>A stored block: its summary and its sorted focus scores and match qualities, packed.</summary>
    private sealed record StoredBlock(long Block, BlockSummary Summary, byte[] Focus, byte[] Match);

    private static async Task<List<StoredBlock>> LoadBlocksAsync(StoreSession session, string acquisitionId, CancellationToken ct)
    {
        var blocks = new List<StoredBlock>();
        await using var command = session.Command(
            $"SELECT block, summary, focus_values, match_values FROM {QualityBlocksTable.Blocks} WHERE acquisition_id = @acquisition ORDER BY block", ("@acquisition", acquisitionId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            blocks.Add(new(reader.GetInt64(0), BlockSummary.FromJson(reader.GetString(1)), (byte[])reader.GetValue(2), (byte[])reader.GetValue(3)));
        }
        return blocks;
    }

    /// <summary>The focus distribution over every block of the scope; the blur threshold is relative to its median.</summary>
    private static FocusSummary Focus(List<StoredBlock> blocks, QualityThresholds thresholds)
    {
        var values = Concat(blocks.Select(b => b.Focus));
        if (values.Length == 0)
        {
            return new FocusSummary(null, null, null, null, null, null, 0);
        }
        var (min, max) = (blocks.Where(b => b.Focus.Length > 0).Min(b => BlockSummary.Unpack(b.Focus)[0]), blocks.Where(b => b.Focus.Length > 0).Max(b => BlockSummary.Unpack(b.Focus)[^1]));
        var mean = blocks.Sum(b => b.Summary.FocusSum) / blocks.Sum(b => b.Summary.FocusScored);
        var p5 = OrderStatistics.Percentile(values, 0.05);
        var median = Round(OrderStatistics.Percentile(values, 0.5));
        // Tiles below the threshold are counted per acquisition, with the failing tiles.
        return new FocusSummary(Round(min), Round(p5), median, Round(mean), Round(max), Round(thresholds.BlurRatio * median), 0);
    }

    private static double[] Concat(IEnumerable<byte[]> packed)
    {
        var parts = packed.ToList();
        var values = new double[parts.Sum(p => p.Length) / sizeof(double)];
        var at = 0;
        foreach (var part in parts)
        {
            var span = BlockSummary.Unpack(part);
            span.CopyTo(values.AsSpan(at));
            at += span.Length;
        }
        return values;
    }

    /// <summary>The raster positions with no tile, in raster order: those listed by stored blocks, and all of any block never stored.</summary>
    private static List<RasterPosition> Missing(AcquisitionRaster raster, List<StoredBlock> blocks, int listLimit)
    {
        var missing = new List<RasterPosition>();
        var stored = blocks.Where(b => b.Block >= 0).ToDictionary(b => b.Block);
        for (long block = 0; block * QualityBlocks.Size < raster.ExpectedTiles && missing.Count < listLimit; block++)
        {
            var indexes = stored.TryGetValue(block, out var b)
                ? b.Summary.Missing
                : LongRange(block * QualityBlocks.Size, Math.Min((block + 1) * QualityBlocks.Size, raster.ExpectedTiles));
            missing.AddRange(indexes.Take(listLimit - missing.Count).Select(i => new RasterPosition(raster.AcquisitionId, i, i / raster.Cols, i % raster.Cols)));
        }
        return missing;
    }

    private static IEnumerable<long> LongRange(long from, long to)
    {
        for (var i = from; i < to; i++)
        {
            yield return i;
        }
    }

    /// <summary>
    /// The first failing tiles of one acquisition in raster order (unplaced ones last): the blocks' own faults, read
    /// block by block only while the list has room, merged with the blurry tiles, which an index on focus finds.
    /// </summary>
    private static async Task<List<FailingTile>> FailingAsync(StoreSession session, AcquisitionRaster raster, List<StoredBlock> blocks, long blurry,
        double? threshold, QualityThresholds thresholds, int listLimit, CancellationToken ct)
    {
        if (listLimit <= 0)
        {
            return [];
        }
        var tiles = new Dictionary<string, FailingTile>(StringComparer.Ordinal);
        var withFaults = blocks.Where(b => b.Summary.Failing > 0).OrderBy(b => b.Block == QualityBlocks.Unplaced).ThenBy(b => b.Block);
        long taken = 0;
        foreach (var block in withFaults)
        {
            if (taken >= listLimit)
            {
                break;
            }
            await using var command = session.Command($"SELECT faults FROM {QualityBlocksTable.Blocks} WHERE acquisition_id = @acquisition AND block = @block",
                ("@acquisition", raster.AcquisitionId), ("@block", block.Block));
            foreach (var tile in BlockSummary.FaultsFromJson((string)(await command.ExecuteScalarAsync(ct))!))
            {
                tiles[tile.TileId] = tile;
            }
            taken += block.Summary.Failing;
        }
        if (blurry > 0 && threshold is { } t)
        {
            await using var command = session.Command(
                $"SELECT id, raster_index, {Value(session, "row")}, {Value(session, "col")}, focus_score FROM {QualitySql.TileTable} " +
                "WHERE acquisition_id = @acquisition AND focus_score < @threshold " +
                $"ORDER BY CASE WHEN raster_index IS NULL THEN 1 ELSE 0 END, raster_index, id LIMIT {listLimit.ToString(CultureInfo.InvariantCulture)}",
                ("@acquisition", raster.AcquisitionId), ("@threshold", t));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetString(0);
                var focus = reader.GetDouble(4);
                var tile = tiles.TryGetValue(id, out var known) ? known
                    : new FailingTile(id, raster.AcquisitionId, NullableLong(reader, 1), NullableLong(reader, 2), NullableLong(reader, 3), Round(focus), [], []);
                tiles[id] = TileFlags.WithBlur(tile, focus, t, thresholds);
            }
        }
        return [.. tiles.Values
            .OrderBy(t => t.RasterIndex is null).ThenBy(t => t.RasterIndex).ThenBy(t => t.TileId, StringComparer.Ordinal).Take(listLimit)];
    }

    private static string Value(StoreSession session, string field) => session.Dialect.JsonValue("doc", ["raster_position", field], PrimitiveKind.Int);

    /// <summary>Each acquisition's task type (by acquisition id), with one read of their tasks.</summary>
    private static async Task<Dictionary<string, string?>> TaskTypesAsync(StoreSession session, List<JsonObject> acquisitions, CancellationToken ct)
    {
        static string? TaskId(JsonObject acquisition) => acquisition["acquisition_task_id"] is JsonValue v ? v.GetValue<string>() : null;
        var taskIds = acquisitions.Select(TaskId).OfType<string>().Distinct().Select(id => (object)id).ToList();
        var tasks = taskIds.Count == 0 ? [] : await session.GetManyAsync(AcquisitionTasks.Definition, taskIds, ct);
        return acquisitions.ToDictionary(Id, a => TaskId(a) is { } id ? tasks.GetValueOrDefault(id)?.Document["task_type"]?.GetValue<string>() : null);
    }

    private static string Id(JsonObject acquisition) => acquisition["acquisition_id"]!.GetValue<string>();

    private static async Task<AcquisitionRaster> RasterAsync(StoreSession session, JsonObject acquisition, QualityThresholds thresholds, CancellationToken ct)
    {
        var settings = acquisition["acquisition_settings"] as JsonObject;
        var raster = settings?["raster"] as JsonObject;
        var rows = Int(raster?["rows"]) ?? 0;
        var cols = Int(raster?["cols"]) ?? 0;
        if (rows <= 0 || cols <= 0)
        {
            (rows, cols) = await InferRasterAsync(session, Id(acquisition), ct);
        }
        var bits = Int(settings?["saved_bit_depth"]) ?? Int(acquisition["hardware_settings"]?["camera_bit_depth"]) ?? thresholds.DefaultBitDepth;
        var overlap = Number(settings?["tile_overlap"]);
        var size = settings?["tile_size"] as JsonArray;
        var smallestSide = size is { Count: > 0 } ? size.Select(Number).Where(v => v > 0).DefaultIfEmpty(null).Min() : null;
        var drift = overlap > 0 && smallestSide > 0 ? thresholds.DriftFractionOfOverlap * overlap.Value * smallestSide.Value : thresholds.DefaultDriftLimitPixels;
        return new AcquisitionRaster(acquisition["acquisition_id"]!.GetValue<string>(), rows, cols, (long)rows * cols, 0, bits, Math.Pow(2, bits) - 1, Round(drift)!.Value);
    }

    /// <summary>
    /// The schema does not declare a raster, so without <c>acquisition_settings.raster</c> it is read from the tiles:
    /// the tile with the highest raster index (one indexed row) gives the columns from its raster_position
    /// (index = row × cols + col) and the rows from its row. (0, 0) without placed tiles.
    /// </summary>
    private static async Task<(int Rows, int Cols)> InferRasterAsync(StoreSession session, string acquisitionId, CancellationToken ct)
    {
        await using var command = session.Command(
            $"SELECT raster_index, doc FROM {Tiles.Definition.Table} WHERE acquisition_id = @acquisition AND raster_index >= 0 ORDER BY raster_index DESC LIMIT 1",
            ("@acquisition", acquisitionId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return (0, 0);
        }
        var index = reader.GetInt64(0);
        var position = JsonNode.Parse(reader.GetString(1))?["raster_position"];
        if (Int(position?["row"]) is not { } row || Int(position?["col"]) is not { } col || row < 0 || col < 0)
        {
            return (0, 0);
        }
        var cols = row == 0 ? col + 1 : (index - col) / row;
        return cols > col && cols <= int.MaxValue ? (row + 1, (int)cols) : (0, 0);
    }

    public static double? Round(double? value) => value is { } v ? Math.Round(v, 6) : null;

    private static int? Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var n) ? (int)n : node is JsonValue d && d.TryGetValue<double>(out var x) ? (int)x : null;

    private static double? Number(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    private static long? NullableLong(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
}
