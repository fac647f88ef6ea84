using Lims.Cli;
using Lims.Storage;

namespace Lims.Packages;

/// <summary><c>export &lt;specimens|blocks|rois|acquisitions&gt; &lt;id&gt; &lt;file&gt;</c>: writes a package from the configured store (zip when the file ends in .zip).</summary>
public sealed class ExportCommand : ICliCommand
{
    public string Name => "export";
    public string Usage => "export <specimens|blocks|rois|acquisitions> <id> <file>   write a package (.tar.gz, or .zip)";

    public async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CancellationToken ct)
    {
        if (args.Count != 3 || !PackageExporter.Roots.TryGetValue(args[0], out var root))
        {
            await Console.Error.WriteLineAsync("Usage: " + Usage);
            return 2;
        }
        await services.MigrateLimsStoreAsync(ct);
        var format = args[2].EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? PackageFormat.Zip : PackageFormat.TarGz;
        await using var export = await services.GetRequiredService<PackageExporter>().OpenAsync(root, PackageEndpoints.ParseKey(root, args[1]), ct);
        await using (var output = File.Create(args[2]))
        {
            await export.WriteAsync(format, $"export {string.Join(' ', args)}", output, new ProgressBar(Console.Error), ct);
        }
        Console.Error.WriteLine();
        Console.WriteLine($"Wrote {args[2]} ({new FileInfo(args[2]).Length} bytes).");
        return 0;
    }
}
