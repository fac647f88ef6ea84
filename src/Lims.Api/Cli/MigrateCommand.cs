using Lims.Storage;

namespace Lims.Cli;

/// <summary><c>migrate</c>: creates or upgrades the store's tables and indexes, then exits.</summary>
public sealed class MigrateCommand : ICliCommand
{
    public string Name => "migrate";
    public string Usage => "migrate                 create or upgrade the store's tables and indexes";

    public async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CancellationToken ct)
    {
        await services.MigrateLimsStoreAsync(ct);
        Console.WriteLine($"Migrated the {services.GetRequiredService<DocumentStore>().Dialect.Name} store.");
        return 0;
    }
}
