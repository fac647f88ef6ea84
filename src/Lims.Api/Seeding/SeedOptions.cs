using Lims.Settings;

namespace Lims.Seeding;

/// <summary>Configuration section <c>Seed</c>.</summary>
public sealed class SeedOptions
{
    [Setting("where the demo lab's files are (`seed` command, `Storage:SeedWhenEmpty`)", Default = "`seed/` found upwards from the working directory")]
    [ExistingDirectory]
    public string? Directory { get; set; }
}
