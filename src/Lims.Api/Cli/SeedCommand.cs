using Lims.Documents;
using Lims.Seeding;
using Lims.Storage;

namespace Lims.Cli;

/// <summary><c>seed [directory]</c>: loads the demo lab into the configured store (which must not hold it yet).</summary>
public sealed class SeedCommand : ICliCommand
{
    public string Name => "seed";
    public string Usage => "seed [directory]        load the demo lab (default: seed/) into the configured store";

    public async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CancellationToken ct)
    {
        await services.MigrateLimsStoreAsync(ct);
        var directory = SeedLoader.FindDirectory((args.Count > 0 ? args[0] : null) ?? services.GetRequiredService<IConfiguration>()["Seed:Directory"])
            ?? throw new InvalidOperationException("No seed/ directory found; pass its path.");
        if (!await SeedLoader.IsEmptyAsync(services.GetRequiredService<DocumentService>(), ct))
        {
            Console.Error.WriteLine("The store already holds documents; seeding needs an empty store.");
            return 1;
        }
        var count = await services.GetRequiredService<SeedLoader>().LoadAsync(directory, ct);
        Console.WriteLine($"Loaded {count} documents from {directory} into the {services.GetRequiredService<DocumentStore>().Dialect.Name} store.");
        return 0;
    }
}
