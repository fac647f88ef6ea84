using Lims.Collections;
using Lims.Collections.Definitions;
using Lims.Storage;

namespace Lims.Ingest;

/// <summary>
/// Keeps the acquisition's roll-ups (tile_count, focus_scored_tile_count, avg_focus_score; failed_tile_count and
/// median_match_quality come from the quality report) in its document, with SQL that reads and writes the stored
/// values in one statement, so concurrent writers add up instead of overwriting each other.
/// </summary>
public static class AcquisitionRollups
{
    private static readonly string _table = Acquisitions.Definition.Table;

    /// <summary>Adds <paramref name="tiles"/> tiles, of which <paramref name="scored"/> have focus scores summing to <paramref name="focusSum"/> (negative to remove).</summary>
    public static async Task ApplyDeltaAsync(StoreSession session, string acquisitionId, long tiles, long scored, double focusSum, CancellationToken ct)
    {
        if (tiles == 0 && scored == 0)
        {
            return;
        }
        var dialect = session.Dialect;
        var count = $"COALESCE({dialect.JsonValue("doc", ["tile_count"], PrimitiveKind.Int)}, 0)";
        var scoredNow = $"COALESCE({dialect.JsonValue("doc", ["focus_scored_tile_count"], PrimitiveKind.Int)}, 0)";
        var average = $"COALESCE({dialect.JsonValue("doc", ["avg_focus_score"], PrimitiveKind.Float)}, 0)";
        var newScored = $"({scoredNow} + @scored)";
        var newAverage = $"CASE WHEN {newScored} <= 0 THEN NULL ELSE ({average} * {scoredNow} + @sum) / {newScored} END";
        await session.ExecuteAsync(
            $"UPDATE {_table} SET row_version = row_version + 1, doc = {dialect.SetDocumentFields("doc", [("tile_count", $"{count} + @tiles"), ("focus_scored_tile_count", newScored), ("avg_focus_score", newAverage)])} WHERE id = @id",
            ct, ("@id", acquisitionId), ("@tiles", tiles), ("@scored", scored), ("@sum", focusSum));
    }

    /// <summary>Sets the tile counts and mean focus exactly, from aggregates over the acquisition's tiles.</summary>
    public static async Task RecomputeCountsAsync(StoreSession session, string acquisitionId, CancellationToken ct)
    {
        var tiles = Tiles.Definition.Table;
        string Aggregate(string expression) => $"(SELECT {expression} FROM {tiles} WHERE acquisition_id = @id)";
        await session.ExecuteAsync(
            $"UPDATE {_table} SET row_version = row_version + 1, doc = {session.Dialect.SetDocumentFields("doc",
                [("tile_count", Aggregate("COUNT(*)")), ("focus_scored_tile_count", Aggregate("COUNT(focus_score)")), ("avg_focus_score", Aggregate("AVG(focus_score)"))])} WHERE id = @id",
            ct, ("@id", acquisitionId));
    }

    /// <summary>Sets roll-ups computed elsewhere (the quality report's failed_tile_count and median_match_quality).</summary>
    public static async Task SetValuesAsync(StoreSession session, string acquisitionId, IReadOnlyList<(string Field, object? Value)> values, CancellationToken ct)
    {
        var fields = values.Select((v, i) => (v.Field, session.Dialect.NumberParameter($"@v{i}"))).ToArray();
        var parameters = values.Select((v, i) => ($"@v{i}", v.Value)).Append(("@id", (object?)acquisitionId)).ToArray();
        await session.ExecuteAsync($"UPDATE {_table} SET row_version = row_version + 1, doc = {session.Dialect.SetDocumentFields("doc", fields)} WHERE id = @id", ct, parameters);
    }
}
