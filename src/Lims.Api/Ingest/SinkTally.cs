namespace Lims.Ingest;

/// <summary>
/// What a sink that decides tile by tile counts (the upsert sink counts in SQL instead): the tiles it inserted and
/// their focus scores, and the conflicting ids, of which the first <c>conflictListLimit</c> are listed.
/// </summary>
public sealed class SinkTally(int conflictListLimit)
{
    private readonly List<string> _conflicts = [];
    private long _inserted, _scored, _conflictCount;
    private double _focusSum;

    public void Inserted(PreparedTile tile)
    {
        _inserted++;
        if (tile.FocusScore is { } focus)
        {
            _scored++;
            _focusSum += focus;
        }
    }

    public void Conflict(string tileId)
    {
        if (_conflicts.Count < conflictListLimit)
        {
            _conflicts.Add(tileId);
        }
        _conflictCount++;
    }

    /// <summary>The result, listed conflicts in id order.</summary>
    public SinkResult Result(long updated)
    {
        _conflicts.Sort(StringComparer.Ordinal);
        return new SinkResult(_inserted, updated, _scored, _focusSum, _conflicts, _conflictCount);
    }
}
