using System.Text.Json.Nodes;
using Lims.Collections;
using Lims.Documents;
using Lims.Storage;

namespace Lims.Seeding;

/// <summary>
/// Loads the demo lab from <c>seed/NN-EntitySet.json</c> through the ordinary write path, so seed data is
/// validated like any client's. Files load in name order: references always point to earlier files.
/// </summary>
public sealed class SeedLoader(DocumentService documents, ILogger<SeedLoader> logger)
{
    private const int ChunkSize = 1000;

    /// <summary>Loads every seed file in one transaction: a failure leaves the store as it was.</summary>
    public Task<int> LoadAsync(string directory, CancellationToken ct) =>
        documents.Store.WriteAsync(session => LoadAsync(session, directory, ct), ct);

    private async Task<int> LoadAsync(StoreSession session, string directory, CancellationToken ct)
    {
        var total = 0;
        foreach (var file in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var entitySet = Path.GetFileNameWithoutExtension(file).Split('-', 2).Last();
            var collection = Catalog.Find(entitySet) ?? throw new InvalidOperationException($"Seed file {file} names no collection.");
            await using var stream = File.OpenRead(file);
            var array = (JsonArray)(await JsonNode.ParseAsync(stream, cancellationToken: ct))!;
            var items = array.Select(n => (JsonObject)n!.DeepClone()).ToList();
            foreach (var chunk in items.Chunk(ChunkSize))
            {
                await documents.CreateManyInSessionAsync(session, collection, chunk, WriteOrigin.Seed, ct);
            }
            logger.LogInformation("Seeded {Count} {EntitySet}", items.Count, collection.EntitySet);
            total += items.Count;
        }
        return total;
    }

    public static async Task<bool> IsEmptyAsync(DocumentService documents, CancellationToken ct) =>
        await documents.Store.ReadAsync(async session =>
        {
            await using var command = session.Command($"SELECT COUNT(*) FROM {Catalog.All[0].Table}");
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) == 0;
        }, ct);

    /// <summary>The seed folder: configured, or found by walking up from the working directory and the app's base directory.</summary>
    public static string? FindDirectory(string? configured)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return Directory.Exists(configured) ? configured : throw new DirectoryNotFoundException($"Seed directory {configured} does not exist.");
        }
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "seed");
                if (File.Exists(Path.Combine(candidate, "01-Specimens.json")))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

}
