using Lims.Settings;

namespace Lims.Cli;

/// <summary>
/// <c>config</c>: prints every setting's effective value (secrets masked) and where it came from, then any problem;
/// <c>config --markdown</c> prints the settings table and <c>config --readme [file]</c> rewrites the one in docs/operations.md.
/// </summary>
public sealed class ConfigCommand : ICliCommand
{
    public string Name => "config";
    public string Usage => "config                  show every setting's value (secrets masked) and source; --markdown prints the settings table, --readme [file] updates it in docs/operations.md";
    public bool NeedsValidSettings => false;

    public async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CancellationToken ct)
    {
        switch (args.Count > 0 ? args[0] : null)
        {
            case "--markdown":
                Console.Write(SettingsTable.Markdown());
                return 0;
            case "--readme":
                var path = args.Count > 1 ? args[1] : SettingsTable.DocumentPath;
                var changed = await SettingsTable.UpdateReadmeAsync(path, ct);
                Console.WriteLine(changed ? $"Updated the settings table in {path}." : $"The settings table in {path} is up to date.");
                return 0;
            default:
                var configuration = services.GetRequiredService<IConfiguration>();
                Console.Write(EffectiveSettings.Render(configuration));
                var problems = LimsSettings.Problems(configuration);
                return problems.Count == 0 ? 0 : InvalidSettings.Report(problems, Console.Error);
        }
    }
}
