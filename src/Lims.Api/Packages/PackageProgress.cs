namespace Lims.Packages;

/// <summary>How far an export or import is: <see cref="Done"/> of <see cref="Total"/> units (documents and tiles) in <see cref="Stage"/>.</summary>
public sealed record PackageProgress(string Stage, long Done, long Total)
{
    public int Percent => Total <= 0 ? 100 : (int)Math.Min(100, Done * 100 / Total);
}
