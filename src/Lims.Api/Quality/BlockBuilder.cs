namespace Lims.Quality;

/// <summary>Adds up one block's tiles (given in raster order) into its summary and sorted values.</summary>
public sealed class BlockBuilder(long block, AcquisitionRaster raster)
{
    private readonly List<double> _focus = [];
    private readonly List<long> _present = [];

    public long Block { get; } = block;
    public BlockSummary Summary { get; } = new();
    public List<double> MatchValues { get; } = [];
    public List<FailingTile> Faults { get; } = [];

    public void Add(TileFlags tile, QualityThresholds thresholds)
    {
        var s = Summary;
        s.Tiles++;
        if (tile.Focus is { } focus)
        {
            s.FocusScored++;
            s.FocusSum += focus;
            _focus.Add(focus);
        }
        if (tile.RasterIndex is { } index && index < raster.ExpectedTiles && (_present.Count == 0 || _present[^1] != index))
        {
            _present.Add(index);
        }
        s.Dark += tile.Dark ? 1 : 0;
        s.Saturated += tile.Saturated ? 1 : 0;
        s.LowContrast += tile.LowContrast ? 1 : 0;
        s.Frozen += tile.Frozen ? 1 : 0;
        s.Entries += tile.Entries;
        s.InvalidEntries += tile.InvalidEntries;
        s.InvalidTiles += tile.InvalidEntries > 0 ? 1 : 0;
        s.DriftEntries += tile.DriftEntries;
        s.DriftTiles += tile.DriftEntries > 0 ? 1 : 0;
        (s.MeanMin, s.MeanMax) = (Min(s.MeanMin, tile.Mean), Max(s.MeanMax, tile.Mean));
        (s.StdMin, s.StdMax) = (Min(s.StdMin, tile.Std), Max(s.StdMax, tile.Std));
        if (tile.HasFault)
        {
            s.Failing++;
            if (tile.Focus is { } f)
            {
                s.FailingFocus.Add(f);
            }
            Faults.Add(tile.Describe(raster.AcquisitionId, raster, thresholds));
        }
    }

    /// <summary>The summary with the block's missing positions, and its focus scores and match qualities sorted.</summary>
    public (BlockSummary Summary, List<double> Focus, List<double> Match) Finish()
    {
        Summary.Present = _present.Count;
        if (Block != QualityBlocks.Unplaced)
        {
            var end = Math.Min((Block + 1) * QualityBlocks.Size, raster.ExpectedTiles);
            var next = 0;
            for (var index = Block * QualityBlocks.Size; index < end; index++)
            {
                if (next < _present.Count && _present[next] == index)
                {
                    next++;
                }
                else
                {
                    Summary.Missing.Add(index);
                }
            }
        }
        _focus.Sort();
        MatchValues.Sort();
        Summary.FailingFocus.Sort();
        return (Summary, _focus, MatchValues);
    }

    private static double? Min(double? a, double? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}
