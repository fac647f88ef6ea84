using System.Text.Json;
using Lims.Auth;
using Lims.Cli;
using Lims.Documents;
using Lims.Storage;

namespace Lims.Packages;

/// <summary><c>import &lt;file&gt; [--skip-existing]</c>: imports a package into the configured store, with a progress bar.</summary>
public sealed class ImportCommand : ICliCommand
{
    public string Name => "import";
    public string Usage => "import <file> [--skip-existing]   import a package, all or nothing";

    public async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CancellationToken ct)
    {
        var files = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var flags = args.Except(files).ToList();
        if (files.Count != 1 || flags.Any(f => f != "--skip-existing"))
        {
            await Console.Error.WriteLineAsync("Usage: " + Usage);
            return 2;
        }
        await services.MigrateLimsStoreAsync(ct);
        await using var input = File.OpenRead(files[0]);
        using var package = await PackageReader.OpenAsync(input, ct);
        var result = await services.GetRequiredService<PackageImporter>().ImportAsync(package, flags.Count > 0, new WriteOrigin(KeysCommand.Actor, WriteSource.Import), new ProgressBar(Console.Error), ct);
        Console.Error.WriteLine();
        Console.WriteLine(JsonSerializer.Serialize(result, PackageManifest.JsonOptions));
        return 0;
    }
}
