using System.Globalization;

namespace Lims.Storage;

/// <summary>
/// Keeps the planner's statistics current after a bulk write: autovacuum analyses a grown table only a minute or
/// so later, and until then the planner plans for the table's old size (an empty table's plans on a million rows).
/// </summary>
public static class PlannerStatistics
{
    /// <summary>A write that adds more than this share of the estimated rows refreshes the statistics at once.</summary>
    public const double GrowthShare = 0.1;

    public static async Task RefreshIfGrownAsync(DocumentStore store, string table, long added, CancellationToken ct)
    {
        if (added <= 0 || store.Dialect.EstimatedRows(table) is not { } estimate)
        {
            return;
        }
        await using var connection = await store.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = estimate;
        // -1 (never analysed) counts as empty.
        var rows = Math.Max(0, Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture));
        if (added > rows * GrowthShare)
        {
            command.CommandText = store.Dialect.Analyze(table);
            await command.ExecuteNonQueryAsync(ct);
        }
    }
}
