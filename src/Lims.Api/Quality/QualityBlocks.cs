using Lims.Collections;
using Lims.Storage;

namespace Lims.Quality;

/// <summary>
/// Where a tile's quality data lives (its block) and how writers mark blocks changed. Every write of a tile marks
/// the block of its raster index and the next one (whose first tile compares itself with this one for frozen frames).
/// </summary>
public static class QualityBlocks
{
    /// <summary>Raster indexes per block: small enough that a batch of new tiles recomputes little, large enough that a report merges few rows.</summary>
    public const long Size = 1024;

    /// <summary>The block of the tiles without a raster index.</summary>
    public const long Unplaced = -1;

    public static long Of(long? rasterIndex) => rasterIndex is { } index and >= 0 ? index / Size : Unplaced;

    /// <summary>Adds to <paramref name="blocks"/> those that writing a tile at <paramref name="rasterIndex"/> changes.</summary>
    public static void Touch(ISet<long> blocks, long? rasterIndex)
    {
        var block = Of(rasterIndex);
        blocks.Add(block);
        if (block != Unplaced)
        {
            blocks.Add(block + 1);
        }
    }

    /// <summary>Marks <paramref name="blocks"/> of the acquisition changed, in the caller's transaction.</summary>
    public static async Task MarkAsync(StoreSession session, string acquisitionId, IReadOnlyCollection<long> blocks, CancellationToken ct)
    {
        if (blocks.Count == 0)
        {
            return;
        }
        await using var command = session.Command(
            $"INSERT INTO {QualityBlocksTable.Marks} (acquisition_id, block) SELECT @acquisition, value FROM ({session.Dialect.ListValues("@blocks")}) b",
            ("@acquisition", acquisitionId));
        session.Dialect.AddListParameter(command, "@blocks", [.. blocks.Cast<object>()], PrimitiveKind.Int);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Forgets an acquisition's blocks (it was deleted; a new one of the same id starts afresh).</summary>
    public static async Task ForgetAsync(StoreSession session, string acquisitionId, CancellationToken ct)
    {
        await session.ExecuteAsync($"DELETE FROM {QualityBlocksTable.Blocks} WHERE acquisition_id = @acquisition", ct, ("@acquisition", acquisitionId));
        await session.ExecuteAsync($"DELETE FROM {QualityBlocksTable.Marks} WHERE acquisition_id = @acquisition", ct, ("@acquisition", acquisitionId));
    }
}
