using System.Globalization;
using Lims.Collections;
using Lims.Storage;

namespace Lims.Quality;

/// <summary>
/// Brings an acquisition's quality blocks up to date before a report reads them: recomputes the blocks its writers
/// marked changed, or all of them when the basis (thresholds, raster) changed or none were ever computed. The per-tile
/// faults are SQL over the block's raster range; only one block-run's tiles are in memory at a time.
/// </summary>
public static class QualityBlockRefresher
{
    /// <summary>Blocks computed by one statement, so that memory stays bounded when every block is recomputed.</summary>
    private const long RunBlocks = 64;

    /// <summary>Raised when what a block holds, or how its marks are kept, changes: blocks of older versions are recomputed.</summary>
    private const int Version = 2;

    /// <summary>The caller holds the report scope's lock (<see cref="QualityReportBuilder"/>), so no other report rewrites these blocks meanwhile.</summary>
    public static async Task RefreshAsync(StoreSession session, QualitySql sql, AcquisitionRaster raster, QualityThresholds thresholds, CancellationToken ct)
    {
        var acquisition = raster.AcquisitionId;
        var basis = Basis(raster, thresholds);
        var changed = new SortedSet<long>();
        await using (var command = session.Command(
            $"DELETE FROM {QualityBlocksTable.Marks} WHERE acquisition_id = @acquisition RETURNING block", ("@acquisition", acquisition)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                changed.Add(reader.GetInt64(0));
            }
        }

        var context = new RunContext(session, sql, raster, thresholds, basis);
        if (await NeedsRebuildAsync(session, acquisition, basis, ct))
        {
            await RebuildAsync(context, ct);
            return;
        }
        if (changed.Remove(QualityBlocks.Unplaced))
        {
            await ComputeRunAsync(context, QualityBlocks.Unplaced, QualityBlocks.Unplaced, ct);
        }
        foreach (var (first, last) in Runs(changed))
        {
            await ComputeRunAsync(context, first, last, ct);
        }
    }

    /// <summary>Everything a block depends on besides its tiles: a block computed with another basis is stale.</summary>
    private static string Basis(AcquisitionRaster raster, QualityThresholds t) => string.Join(";",
        new object[] { Version, QualityBlocks.Size, raster.ExpectedTiles, raster.FullScale, raster.DriftLimitPx, t.DarkFraction, t.SaturatedFraction, t.MinStdFraction }
            .Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));

    private static async Task<bool> NeedsRebuildAsync(StoreSession session, string acquisition, string basis, CancellationToken ct)
    {
        (string, object?) a = ("@acquisition", acquisition);
        if (await ScalarAsync(session, $"SELECT 1 FROM {QualityBlocksTable.Blocks} WHERE acquisition_id = @acquisition AND basis <> @basis LIMIT 1", ct, a, ("@basis", basis)) is not null)
        {
            return true;
        }
        // Tiles but no blocks: written before blocks were kept (or by a path that marks nothing); compute them all once.
        return await ScalarAsync(session, $"SELECT 1 FROM {QualityBlocksTable.Blocks} WHERE acquisition_id = @acquisition LIMIT 1", ct, a) is null
            && await ScalarAsync(session, $"SELECT 1 FROM {QualitySql.TileTable} WHERE acquisition_id = @acquisition LIMIT 1", ct, a) is not null;
    }

    private static async Task RebuildAsync(RunContext context, CancellationToken ct)
    {
        var session = context.Session;
        (string, object?) a = ("@acquisition", context.Raster.AcquisitionId);
        await session.ExecuteAsync($"DELETE FROM {QualityBlocksTable.Blocks} WHERE acquisition_id = @acquisition", ct, a);
        await ComputeRunAsync(context, QualityBlocks.Unplaced, QualityBlocks.Unplaced, ct);
        // From one run to the next stored raster index: sparse rasters skip their empty stretches in one probe.
        long from = 0;
        while (await ScalarAsync(session, $"SELECT MIN(raster_index) FROM {QualitySql.TileTable} WHERE acquisition_id = @acquisition AND raster_index >= @from", ct, a, ("@from", from)) is { } next)
        {
            var first = QualityBlocks.Of(Convert.ToInt64(next, CultureInfo.InvariantCulture));
            await ComputeRunAsync(context, first, first + RunBlocks - 1, ct);
            from = (first + RunBlocks) * QualityBlocks.Size;
        }
    }

    /// <summary>Consecutive changed blocks grouped into runs of at most <see cref="RunBlocks"/>.</summary>
    private static IEnumerable<(long First, long Last)> Runs(SortedSet<long> blocks)
    {
        long? first = null, last = null;
        foreach (var block in blocks)
        {
            if (first is not null && (block != last + 1 || block - first >= RunBlocks))
            {
                yield return (first.Value, last!.Value);
                first = null;
            }
            first ??= block;
            last = block;
        }
        if (first is not null)
        {
            yield return (first.Value, last!.Value);
        }
    }

    private sealed record RunContext(StoreSession Session, QualitySql Sql, AcquisitionRaster Raster, QualityThresholds Thresholds, string Basis);

    /// <summary>Recomputes blocks <paramref name="first"/>..<paramref name="last"/> (or the unplaced block) from their tiles and stores them.</summary>
    private static async Task ComputeRunAsync(RunContext context, long first, long last, CancellationToken ct)
    {
        var (session, sql, raster, thresholds, basis) = context;
        var unplaced = first == QualityBlocks.Unplaced;
        var (lo, hi) = (first * QualityBlocks.Size, (last + 1) * QualityBlocks.Size);
        (string, object?)[] range = [("@acquisition", raster.AcquisitionId), ("@lo", lo), ("@hi", hi)];

        var blocks = new SortedDictionary<long, BlockBuilder>();
        BlockBuilder For(long block) => blocks.TryGetValue(block, out var b) ? b : blocks[block] = new BlockBuilder(block, raster);
        var darkLimit = thresholds.DarkFraction * raster.FullScale;
        var saturatedLimit = thresholds.SaturatedFraction * raster.FullScale;
        var stdLimit = thresholds.MinStdFraction * raster.FullScale;
        // Rows come in raster order: a tile is frozen when a tile at the previous raster index (kept from the rows
        // before, which may sit in the block before: the range starts one index early) has the same statistics.
        var previous = new FrozenCheck();
        await using (var command = session.Command(TilesSql(sql, unplaced),
            [.. range, ("@dark", darkLimit), ("@saturated", saturatedLimit), ("@minstd", stdLimit), ("@drift", raster.DriftLimitPx)]))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var tile = TileFlags.Read(reader);
                tile = tile with { Frozen = previous.Next(tile) };
                if (!unplaced && tile.RasterIndex < lo)
                {
                    continue;
                }
                var block = For(QualityBlocks.Of(tile.RasterIndex));
                block.Add(tile, thresholds);
                block.MatchValues.AddRange(QualitySql.Qualities(reader, 12));
            }
        }

        var (from, to) = unplaced ? (first, first) : (first, last);
        await session.ExecuteAsync($"DELETE FROM {QualityBlocksTable.Blocks} WHERE acquisition_id = @acquisition AND block >= @from AND block <= @to", ct,
            ("@acquisition", raster.AcquisitionId), ("@from", from), ("@to", to));
        await using var insert = session.Command(
            $"INSERT INTO {QualityBlocksTable.Blocks} (acquisition_id, block, basis, summary, faults, focus_values, match_values) " +
            "VALUES (@acquisition, @block, @basis, @summary, @faults, @focus, @match)",
            ("@acquisition", raster.AcquisitionId), ("@block", 0L), ("@basis", basis), ("@summary", ""), ("@faults", ""), ("@focus", Array.Empty<byte>()), ("@match", Array.Empty<byte>()));
        foreach (var block in blocks.Values.Where(b => b.Summary.Tiles > 0))
        {
            var (summary, focus, match) = block.Finish();
            insert.Parameters[1].Value = block.Block;
            insert.Parameters[3].Value = summary.ToJson();
            insert.Parameters[4].Value = BlockSummary.FaultsToJson(block.Faults);
            insert.Parameters[5].Value = BlockSummary.Pack(focus);
            insert.Parameters[6].Value = BlockSummary.Pack(match);
            await insert.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// One row per tile of the range (and of the index before it), in raster order, with its values, the faults SQL
    /// decides per tile (dark, saturated, low contrast) and what its matcher holds: entries, invalid ones, drift
    /// outliers and the match qualities, from one expansion of the array.
    /// </summary>
    private static string TilesSql(QualitySql sql, bool unplaced)
    {
        string V(string field) => sql.Value("t", PrimitiveKind.Float, field);
        var position = sql.Entry("position", PrimitiveKind.String);
        var dX = sql.Entry("dX", PrimitiveKind.Float);
        var dY = sql.Entry("dY", PrimitiveKind.Float);
        var drift = sql.Real("@drift");
        var matcher = sql.Matcher("t", $"{position} = 'invalid'", $"({position} IS NULL OR {position} <> 'invalid') AND (ABS({dX}) > {drift} OR ABS({dY}) > {drift})");
        return $"""
            SELECT t.id, t.raster_index,
                {sql.Value("t", PrimitiveKind.Int, "raster_position", "row")}, {sql.Value("t", PrimitiveKind.Int, "raster_position", "col")},
                t.focus_score, {V("min_value")}, {V("max_value")}, {V("mean_value")}, {V("std_value")},
                {matcher.Columns},
                CASE WHEN {V("max_value")} < {sql.Real("@dark")} THEN 1 ELSE 0 END,
                CASE WHEN {V("min_value")} > {sql.Real("@saturated")} THEN 1 ELSE 0 END,
                CASE WHEN {V("std_value")} < {sql.Real("@minstd")} THEN 1 ELSE 0 END
            FROM {QualitySql.TileTable} t {matcher.Join}
            WHERE t.acquisition_id = @acquisition AND {(unplaced ? "t.raster_index IS NULL" : "t.raster_index >= @lo - 1 AND t.raster_index < @hi")}
            ORDER BY t.raster_index, t.id
            """;
    }

    /// <summary>Remembers the statistics of the tiles at the last two raster indexes seen, in raster order.</summary>
    private sealed class FrozenCheck
    {
        private long? _index, _previousIndex;
        private List<(double, double, double, double, double)> _current = [], _previous = [];

        public bool Next(TileFlags tile)
        {
            if (tile.RasterIndex is not { } index)
            {
                return false;
            }
            if (index != _index)
            {
                (_previousIndex, _previous, _index, _current) = (_index, _current, index, _previous);
                _current.Clear();
            }
            if (tile.Statistics is not { } statistics)
            {
                return false;
            }
            _current.Add(statistics);
            return _previousIndex == index - 1 && _previous.Contains(statistics);
        }
    }

    private static async Task<object?> ScalarAsync(StoreSession session, string text, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var command = session.Command(text, parameters);
        return await command.ExecuteScalarAsync(ct) is { } value and not DBNull ? value : null;
    }
}
