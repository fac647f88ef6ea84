namespace Lims.Packages;

/// <summary>A one-line progress bar on a terminal stream, redrawn only when the percentage or stage changes.</summary>
public sealed class ProgressBar(TextWriter output) : IProgress<PackageProgress>
{
    private const int Width = 30;
    private (int, string)? _drawn;

    public void Report(PackageProgress value)
    {
        var shown = (value.Total < 0 ? -1 : value.Percent, value.Stage);
        if (_drawn == shown)
        {
            return;
        }
        _drawn = shown;
        var line = value.Total < 0
            ? $"{value.Done,12:N0}  {value.Stage}"
            : $"[{new string('#', value.Percent * Width / 100).PadRight(Width, '.')}] {value.Percent,3}%  {value.Stage}";
        output.Write("\r" + line.PadRight(70));
    }
}
