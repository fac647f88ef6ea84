namespace Lims.Ingest;

/// <summary>
/// What a tile sink stored; conflicts are tile ids stored with different content. <c>ReplacedRasterIndexes</c> are
/// those the tiles replaced in upsert mode had before, whose quality blocks change too.
/// </summary>
public sealed record SinkResult(long Inserted, long Updated, long InsertedScored, double InsertedFocusSum, IReadOnlyList<string> Conflicts, long ConflictCount)
{
    public IReadOnlyList<long?> ReplacedRasterIndexes { get; init; } = [];
}

/// <summary>
/// Writes one request's tiles inside the caller's transaction: new tiles are inserted, identical ones skipped,
/// different ones reported as conflicts (or replaced in upsert mode). One implementation per database.
/// </summary>
public interface ITileSink : IAsyncDisposable
{
    Task AddAsync(PreparedTile tile, CancellationToken ct);

    /// <summary>Called after each chunk of tiles, so per-chunk work (conflict checks) runs with bounded memory.</summary>
    Task EndChunkAsync(CancellationToken ct);

    Task<SinkResult> CompleteAsync(CancellationToken ct);
}
