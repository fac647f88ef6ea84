using System.Data.Common;
using System.Globalization;
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
    private static readonly double[] _focusPercentiles = [0.05, 0.5];
    private static readonly double[] _median = [0.5];
    private static readonly string[] _statistics = ["min_value", "max_value", "mean_value", "std_value"];

    public static string AcquisitionReportId(string acquisitionId) => $"acquisition:{acquisitionId}";

    public static string RoiReportId(long roiId) => $"roi:{roiId.ToString(CultureInfo.InvariantCulture)}";

    public async Task<QualityReport> ForAcquisitionAsync(StoreSession session, string acquisitionId, CancellationToken ct)
    {
        var stored = await session.GetAsync(Acquisitions.Definition, acquisitionId, ct) ?? throw DocumentService.NotFound(Acquisitions.Definition, acquisitionId);
        var roiId = stored.Document["roi_id"] is JsonValue r && r.TryGetValue<long>(out var id) ? id : (long?)null;
        return await BuildAsync(session, AcquisitionReportId(acquisitionId), "acquisition", acquisitionId, roiId, [stored.Document], ct);
    }

    public async Task<QualityReport> ForRoiAsync(StoreSession session, long roiId, CancellationToken ct)
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
        return await BuildAsync(session, RoiReportId(roiId), "roi", null, roiId, acquisitions, ct);
    }

    private async Task<QualityReport> BuildAsync(
        StoreSession session, string reportId, string scope, string? acquisitionId, long? roiId, List<JsonObject> acquisitions, CancellationToken ct)
    {
        var sql = new QualitySql(session.Dialect);
        await sql.PrepareAsync(session, ct);
        var ids = acquisitions.Select(a => a["acquisition_id"]!.GetValue<string>()).ToList();
        var taskType = await TaskTypeAsync(session, acquisitions, ct);
        var thresholds = thresholdsProvider.For(taskType);

        var focus = await FocusAsync(session, sql, ids, thresholds, ct);
        var rasters = new List<AcquisitionRaster>();
        var missing = new List<RasterPosition>();
        var failing = new List<FailingTile>();
        long missingCount = 0;
        var totals = new FlagTotals();
        foreach (var acquisition in acquisitions)
        {
            var raster = Raster(acquisition, thresholds);
            var (absentCount, absent) = await MissingAsync(session, raster, ListLimit - missing.Count, ct);
            missingCount += absentCount;
            missing.AddRange(absent);
            var flags = await FlagsAsync(session, sql, raster, focus.Threshold, thresholds, ListLimit - failing.Count, ct);
            totals.Add(flags.Totals);
            failing.AddRange(flags.Failing);
            rasters.Add(raster with { TileCount = flags.Totals.Tiles });
        }
        var matcher = await MatcherAsync(session, sql, ids, totals, ct);

        var expected = rasters.Sum(r => r.ExpectedTiles > 0 ? r.ExpectedTiles : r.TileCount);
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
            ExpectedTiles = expected,
            TileCount = totals.Tiles,
            MissingCount = missingCount,
            MissingPositions = missing,
            Focus = focus with { BelowThreshold = totals.Blurry },
            Intensity = new IntensitySummary(totals.Dark, totals.Saturated, totals.LowContrast, Round(totals.MeanMin), Round(totals.MeanMax), Round(totals.StdMin), Round(totals.StdMax)),
            FrozenFrames = totals.Frozen,
            Matcher = matcher,
            FailingTileCount = totals.Failing,
            FailingTiles = failing,
            ReimagePositions = [],
            Thresholds = thresholds,
        };
        return QualityVerdict.Apply(report, thresholds);
    }

    private static async Task<string?> TaskTypeAsync(StoreSession session, List<JsonObject> acquisitions, CancellationToken ct)
    {
        var taskIds = acquisitions.Select(a => a["acquisition_task_id"]).OfType<JsonValue>().Select(v => (object)v.GetValue<string>()).Distinct().ToList();
        if (taskIds.Count == 0)
        {
            return null;
        }
        var tasks = await session.GetManyAsync(AcquisitionTasks.Definition, taskIds, ct);
        return taskIds.Select(id => tasks.GetValueOrDefault(id)?.Document["task_type"]?.GetValue<string>()).FirstOrDefault(t => t is not null);
    }

    private static AcquisitionRaster Raster(JsonObject acquisition, QualityThresholds thresholds)
    {
        var settings = acquisition["acquisition_settings"] as JsonObject;
        var raster = settings?["raster"] as JsonObject;
        var rows = Int(raster?["rows"]) ?? 0;
        var cols = Int(raster?["cols"]) ?? 0;
        var bits = Int(settings?["saved_bit_depth"]) ?? Int(acquisition["hardware_settings"]?["camera_bit_depth"]) ?? thresholds.DefaultBitDepth;
        var overlap = Number(settings?["tile_overlap"]);
        var size = settings?["tile_size"] as JsonArray;
        var smallestSide = size is { Count: > 0 } ? size.Select(Number).Where(v => v > 0).DefaultIfEmpty(null).Min() : null;
        var drift = overlap > 0 && smallestSide > 0 ? thresholds.DriftFractionOfOverlap * overlap.Value * smallestSide.Value : thresholds.DefaultDriftLimitPixels;
        return new AcquisitionRaster(acquisition["acquisition_id"]!.GetValue<string>(), rows, cols, (long)rows * cols, 0, bits, Math.Pow(2, bits) - 1, Round(drift)!.Value);
    }

    private static async Task<FocusSummary> FocusAsync(StoreSession session, QualitySql sql, List<string> ids, QualityThresholds thresholds, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return new FocusSummary(null, null, null, null, null, null, 0);
        }
        double? min, max, mean;
        await using (var command = session.Command($"SELECT MIN(t.focus_score), MAX(t.focus_score), AVG(t.focus_score) FROM {QualitySql.TileTable} t WHERE {sql.InScope("t")}"))
        {
            sql.AddScope(command, ids);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            (min, max, mean) = (Double(reader, 0), Double(reader, 1), Double(reader, 2));
        }
        var percentiles = await sql.PercentilesAsync(session,
            $"SELECT t.focus_score AS v FROM {QualitySql.TileTable} t WHERE {sql.InScope("t")}", ids, _focusPercentiles, ct);
        var median = Round(percentiles[1]);
        return new FocusSummary(Round(min), Round(percentiles[0]), median, Round(mean), Round(max), Round(thresholds.BlurRatio * median), 0);
    }

    /// <summary>How many positions of the raster have no tile, and the first of them, found from the gaps between stored raster indexes.</summary>
    private static async Task<(long Count, List<RasterPosition> Positions)> MissingAsync(StoreSession session, AcquisitionRaster raster, int listLimit, CancellationToken ct)
    {
        var missing = new List<RasterPosition>();
        if (raster.ExpectedTiles == 0)
        {
            return (0, missing);
        }
        void AddRange(long from, long to)
        {
            for (var index = from; index <= to && missing.Count < listLimit; index++)
            {
                missing.Add(new RasterPosition(raster.AcquisitionId, index, index / raster.Cols, index % raster.Cols));
            }
        }
        const string inRaster = "acquisition_id = @acquisition AND raster_index >= 0 AND raster_index < @expected";
        (string, object?)[] parameters = [("@acquisition", raster.AcquisitionId), ("@expected", raster.ExpectedTiles)];
        long present, last;
        await using (var command = session.Command($"SELECT COUNT(DISTINCT raster_index), MAX(raster_index) FROM {QualitySql.TileTable} WHERE {inRaster}", parameters))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            (present, last) = (Long(reader, 0), reader.IsDBNull(1) ? -1 : Long(reader, 1));
        }
        await using (var command = session.Command(
            $"SELECT prev, idx FROM (SELECT raster_index AS idx, LAG(raster_index) OVER (ORDER BY raster_index) AS prev FROM {QualitySql.TileTable} WHERE {inRaster}) g " +
            "WHERE prev IS NULL OR idx - prev > 1 ORDER BY idx", parameters))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct) && missing.Count < listLimit)
            {
                AddRange(reader.IsDBNull(0) ? 0 : reader.GetInt64(0) + 1, reader.GetInt64(1) - 1);
            }
        }
        AddRange(last + 1, raster.ExpectedTiles - 1);
        return (raster.ExpectedTiles - present, missing);
    }

    private sealed class FlagTotals
    {
        public long Tiles, Blurry, Dark, Saturated, LowContrast, Frozen, InvalidEntries, InvalidTiles, DriftEntries, DriftTiles, Failing, Entries;
        public double? MeanMin, MeanMax, StdMin, StdMax;

        public void Add(FlagTotals other)
        {
            Tiles += other.Tiles; Blurry += other.Blurry; Dark += other.Dark; Saturated += other.Saturated; LowContrast += other.LowContrast;
            Frozen += other.Frozen; InvalidEntries += other.InvalidEntries; InvalidTiles += other.InvalidTiles;
            DriftEntries += other.DriftEntries; DriftTiles += other.DriftTiles; Failing += other.Failing; Entries += other.Entries;
            MeanMin = Min(MeanMin, other.MeanMin); MeanMax = Max(MeanMax, other.MeanMax);
            StdMin = Min(StdMin, other.StdMin); StdMax = Max(StdMax, other.StdMax);
        }

        private static double? Min(double? a, double? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
        private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
    }

    /// <summary>
    /// Per-tile faults of one acquisition in one statement: the first rows' 16 columns are the failing tiles (up to
    /// @limit, in raster order; null when none fail), the columns from <see cref="TotalsColumn"/> on are the totals
    /// over all its tiles, repeated on every row. Each JSON value is read once per tile (CTE <c>v</c>), the matcher once
    /// per tile, and the tiles are scanned once for both the counts and the list.
    /// </summary>
    private static string FlagsSql(QualitySql sql, int listLimit)
    {
        string V(string field) => sql.Value("t", PrimitiveKind.Float, field);
        var position = sql.Entry("position", PrimitiveKind.String);
        var dX = sql.Entry("dX", PrimitiveKind.Float);
        var dY = sql.Entry("dY", PrimitiveKind.Float);
        var drift = sql.Real("@drift");
        var matcher = sql.MatcherCounts("t", $"{position} = 'invalid'", $"({position} IS NULL OR {position} <> 'invalid') AND (ABS({dX}) > {drift} OR ABS({dY}) > {drift})");
        const string Tile = "id, raster_index, r, c, focus, mn, mx, mean_v, sd, blurry, dark, saturated, low_contrast, frozen, invalid_entries, drift_entries";
        return $"""
            WITH v AS (
                SELECT t.id AS id, t.raster_index AS raster_index,
                    {sql.Value("t", PrimitiveKind.Int, "raster_position", "row")} AS r, {sql.Value("t", PrimitiveKind.Int, "raster_position", "col")} AS c,
                    t.focus_score AS focus, {V("min_value")} AS mn, {V("max_value")} AS mx, {V("mean_value")} AS mean_v, {V("std_value")} AS sd,
                    {matcher.Columns}
                FROM {QualitySql.TileTable} t {matcher.Join}
                WHERE t.acquisition_id = @acquisition
            ),
            f AS (
                SELECT v.id AS id, v.raster_index AS raster_index, v.r AS r, v.c AS c, v.focus AS focus, v.mn AS mn, v.mx AS mx, v.mean_v AS mean_v, v.sd AS sd,
                    CASE WHEN v.focus < {sql.Real("@blur")} THEN 1 ELSE 0 END AS blurry,
                    CASE WHEN v.mx < {sql.Real("@dark")} THEN 1 ELSE 0 END AS dark,
                    CASE WHEN v.mn > {sql.Real("@saturated")} THEN 1 ELSE 0 END AS saturated,
                    CASE WHEN v.sd < {sql.Real("@minstd")} THEN 1 ELSE 0 END AS low_contrast,
                    CASE WHEN p.id IS NOT NULL AND p.focus = v.focus AND p.mn = v.mn AND p.mx = v.mx AND p.mean_v = v.mean_v AND p.sd = v.sd THEN 1 ELSE 0 END AS frozen,
                    v.invalid_entries AS invalid_entries, v.drift_entries AS drift_entries, v.entries AS entries
                FROM v LEFT JOIN v p ON p.raster_index = v.raster_index - 1
            ),
            totals AS (
                SELECT COUNT(*) AS tiles, SUM(blurry) AS blurry_tiles, SUM(dark) AS dark_tiles, SUM(saturated) AS saturated_tiles,
                    SUM(low_contrast) AS low_contrast_tiles, SUM(frozen) AS frozen_tiles, SUM(invalid_entries) AS invalid_total,
                    SUM(CASE WHEN invalid_entries > 0 THEN 1 ELSE 0 END) AS invalid_tiles, SUM(drift_entries) AS drift_total,
                    SUM(CASE WHEN drift_entries > 0 THEN 1 ELSE 0 END) AS drift_tiles, SUM(CASE WHEN {AnyFault} THEN 1 ELSE 0 END) AS failing_tiles,
                    MIN(mean_v) AS mean_min, MAX(mean_v) AS mean_max, MIN(sd) AS std_min, MAX(sd) AS std_max, SUM(entries) AS entries_total
                FROM f
            )
            SELECT {string.Join(", ", Tile.Split(", ").Select(c => $"l.{c}"))}, totals.*
            FROM totals LEFT JOIN (
                SELECT {Tile} FROM f WHERE {AnyFault} ORDER BY raster_index, id LIMIT {listLimit.ToString(CultureInfo.InvariantCulture)}
            ) l ON 1 = 1
            ORDER BY l.raster_index, l.id
            """;
    }

    private const string AnyFault = "(blurry + dark + saturated + low_contrast + frozen > 0 OR invalid_entries > 0 OR drift_entries > 0)";
    private const int TotalsColumn = 16;

    private static async Task<(FlagTotals Totals, List<FailingTile> Failing)> FlagsAsync(
        StoreSession session, QualitySql sql, AcquisitionRaster raster, double? blurThreshold, QualityThresholds thresholds, int listLimit, CancellationToken ct)
    {
        (string, object?)[] parameters =
        [
            ("@acquisition", raster.AcquisitionId), ("@blur", blurThreshold), ("@dark", thresholds.DarkFraction * raster.FullScale),
            ("@saturated", thresholds.SaturatedFraction * raster.FullScale), ("@minstd", thresholds.MinStdFraction * raster.FullScale), ("@drift", raster.DriftLimitPx),
        ];
        var totals = new FlagTotals();
        var failing = new List<FailingTile>();
        await using var command = session.Command(FlagsSql(sql, Math.Max(listLimit, 0)), parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var first = true;
        while (await reader.ReadAsync(ct))
        {
            if (first)
            {
                first = false;
                const int T = TotalsColumn;
                totals.Tiles = Long(reader, T); totals.Blurry = Long(reader, T + 1); totals.Dark = Long(reader, T + 2); totals.Saturated = Long(reader, T + 3);
                totals.LowContrast = Long(reader, T + 4); totals.Frozen = Long(reader, T + 5); totals.InvalidEntries = Long(reader, T + 6); totals.InvalidTiles = Long(reader, T + 7);
                totals.DriftEntries = Long(reader, T + 8); totals.DriftTiles = Long(reader, T + 9); totals.Failing = Long(reader, T + 10);
                (totals.MeanMin, totals.MeanMax, totals.StdMin, totals.StdMax) = (Double(reader, T + 11), Double(reader, T + 12), Double(reader, T + 13), Double(reader, T + 14));
                totals.Entries = Long(reader, T + 15);
            }
            if (!reader.IsDBNull(0))
            {
                failing.Add(Describe(reader, raster, blurThreshold, thresholds));
            }
        }
        return (totals, failing);
    }

    private static FailingTile Describe(DbDataReader reader, AcquisitionRaster raster, double? blurThreshold, QualityThresholds thresholds)
    {
        var focus = Double(reader, 4);
        var faults = new List<string>();
        var reasons = new List<string>();
        void Fault(int column, string code, string reason)
        {
            if (Long(reader, column) > 0)
            {
                faults.Add(code);
                reasons.Add(reason);
            }
        }
        Fault(9, "blurry", $"focus_score {F(focus)} is below {F(blurThreshold)} ({F(thresholds.BlurRatio)} × the median)");
        Fault(10, "dark", $"max_value {F(Double(reader, 6))} is below {F(thresholds.DarkFraction * raster.FullScale)} ({F(thresholds.DarkFraction)} of full scale {F(raster.FullScale)})");
        Fault(11, "saturated", $"min_value {F(Double(reader, 5))} is above {F(thresholds.SaturatedFraction * raster.FullScale)} ({F(thresholds.SaturatedFraction)} of full scale {F(raster.FullScale)})");
        Fault(12, "low-contrast", $"std_value {F(Double(reader, 8))} is below {F(thresholds.MinStdFraction * raster.FullScale)} ({F(thresholds.MinStdFraction)} of full scale)");
        Fault(13, "frozen", "statistics identical to the tile at the previous raster_index");
        Fault(14, "invalid-match", $"{Long(reader, 14)} matcher entr{(Long(reader, 14) == 1 ? "y" : "ies")} with position 'invalid'");
        Fault(15, "drift", $"{Long(reader, 15)} match(es) with |dX| or |dY| above {F(raster.DriftLimitPx)} px");
        return new FailingTile(reader.GetString(0), raster.AcquisitionId, NullableLong(reader, 1), NullableLong(reader, 2), NullableLong(reader, 3), Round(focus), faults, reasons);
    }

    private static async Task<MatcherSummary> MatcherAsync(StoreSession session, QualitySql sql, List<string> ids, FlagTotals totals, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return new MatcherSummary(0, null, 0, 0, 0, 0);
        }
        // The flags pass counted the entries of the same acquisitions; only the median needs another expansion.
        var values = $"SELECT {sql.Entry("match_quality", PrimitiveKind.Float)} AS v FROM {QualitySql.TileTable} t, {sql.MatcherEntries("t")} WHERE {sql.InScope("t")}";
        var entries = totals.Entries;
        var median = entries == 0 ? null : (await sql.PercentilesAsync(session, values, ids, _median, ct))[0];
        return new MatcherSummary(entries, Round(median), totals.InvalidEntries, totals.InvalidTiles, totals.DriftEntries, totals.DriftTiles);
    }

    public static double? Round(double? value) => value is { } v ? Math.Round(v, 6) : null;

    private static string F(double? value) => value is { } v ? Math.Round(v, 4).ToString(CultureInfo.InvariantCulture) : "n/a";

    private static int? Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var n) ? (int)n : node is JsonValue d && d.TryGetValue<double>(out var x) ? (int)x : null;

    private static double? Number(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    private static double? Double(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : Convert.ToDouble(reader.GetValue(i), CultureInfo.InvariantCulture);

    private static long Long(DbDataReader reader, int i) => reader.IsDBNull(i) ? 0 : Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);

    private static long? NullableLong(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
}
