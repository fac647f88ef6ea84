using Lims.Documents;
using Lims.Seeding;
using Microsoft.Extensions.Options;

namespace Lims.Storage;

/// <summary>Migrates the store, and on a first start of the embedded default loads the demo lab, before requests are served.</summary>
public sealed class StoreInitializer(IServiceProvider services, IOptions<StorageOptions> options, IConfiguration configuration, ILogger<StoreInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Render $metadata now: an invalid model should stop the start, not fail the first request.
        _ = services.GetRequiredService<OData.MetadataDocuments>();
        await services.MigrateLimsStoreAsync(cancellationToken);
        if (!options.Value.EffectiveSeedWhenEmpty)
        {
            return;
        }
        var documents = services.GetRequiredService<DocumentService>();
        if (!await SeedLoader.IsEmptyAsync(documents, cancellationToken))
        {
            return;
        }
        if (SeedLoader.FindDirectory(configuration["Seed:Directory"]) is not { } directory)
        {
            logger.LogWarning("The store is empty and no seed/ directory was found; starting without demo data");
            return;
        }
        var count = await services.GetRequiredService<SeedLoader>().LoadAsync(directory, cancellationToken);
        logger.LogInformation("Loaded {Count} demo documents from {Directory}", count, directory);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
