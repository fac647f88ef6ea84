using System.Text.Json.Nodes;
using Lims.Audit;
using Lims.Collections;
using Lims.Collections.Definitions;
using Lims.Documents;
using Lims.Errors;
using Lims.Ingest;
using Lims.Storage;
using Lims.Validation;

namespace Lims.Packages;

/// <summary>What an import did, per collection: documents (and tiles) inserted, found identical, or left (skip-existing).</summary>
public sealed record ImportResult(
    IReadOnlyDictionary<string, long> Inserted, IReadOnlyDictionary<string, long> Unchanged, IReadOnlyList<string> SkippedExisting, long SkippedExistingCount);

/// <summary>
/// Imports a verified package in one transaction: documents in the catalog's order through the document service's
/// restore (fields, references and uniqueness checked as for any write, ids and timestamps kept), then each
/// acquisition's tiles through the ingest's sink, which recounts the roll-ups and marks the quality blocks to rebuild.
/// A document already stored with the same content is left as is; with other content it is a 409 naming it, unless
/// <c>skipExisting</c>, when it is left and reported. The restore runs no write hooks (the package brings its own
/// histories), so the import records one audit entry of its own, in its transaction, like an ingest batch.
/// </summary>
public sealed class PackageImporter(DocumentStore store, DocumentService documents, TileIngestService tiles, IAuditTrail audit)
{
    private const int ChunkSize = 1000;
    private const int ReportedSkipsLimit = 1000;

    public async Task<ImportResult> ImportAsync(
        PackageReader package, bool skipExisting, WriteOrigin origin, IProgress<PackageProgress>? progress, CancellationToken ct)
    {
        var manifest = package.Manifest;
        var total = manifest.Files.Sum(f => f.Collection is null ? 0 : f.Count ?? 0);
        var state = new State(progress, total);
        try
        {
            return await store.WriteAsync(async session =>
            {
                foreach (var collection in PackageScope.DocumentCollections)
                {
                    foreach (var file in manifest.Files.Where(f => f.Collection == collection.EntitySet))
                    {
                        await ImportDocumentsAsync(session, collection, package, file, skipExisting, state, ct);
                    }
                }
                foreach (var file in manifest.Files.Where(f => f.Collection == Tiles.Definition.EntitySet && f.AcquisitionId is not null && f.Count > 0))
                {
                    await ImportTilesAsync(session, package, file, skipExisting, state, ct);
                }
                var result = state.Result();
                await audit.RecordAsync(session, AuditEntry(manifest, result, origin), ct);
                progress?.Report(new PackageProgress("done", total, total));
                return result;
            }, ct);
        }
        catch (System.Data.Common.DbException e) when (store.Dialect.IsUniqueViolation(e))
        {
            throw ApiException.Conflict("A concurrent write stored some of the package's documents first; nothing was imported. Send it again.");
        }
    }

    /// <summary>One entry per import: what the package was (its root and source), what was inserted, left and skipped.</summary>
    private static AuditRecord AuditEntry(PackageManifest manifest, ImportResult result, WriteOrigin origin) =>
        new(AuditOperations.Import, manifest.Request.EntitySet, manifest.Request.Key.ToString(), origin.Actor)
        {
            CorrelationId = origin.CorrelationId,
            Details = new JsonObject
            {
                ["source_lims"] = manifest.Source.Lims,
                ["exported_at"] = manifest.Source.ExportedAt,
                ["inserted"] = Counts(result.Inserted),
                ["unchanged"] = Counts(result.Unchanged),
                ["skipped_existing"] = result.SkippedExistingCount,
            },
        };

    private static JsonObject Counts(IReadOnlyDictionary<string, long> counts) =>
        new(counts.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value)));

    private async Task ImportDocumentsAsync(
        StoreSession session, CollectionDefinition collection, PackageReader package, ManifestFile file, bool skipExisting, State state, CancellationToken ct)
    {
        JsonArray items;
        await using (var stream = package.Open(file))
        {
            items = (await JsonNode.ParseAsync(stream, cancellationToken: ct))?["value"] as JsonArray
                ?? throw ApiException.BadRequest($"{file.Path} holds no 'value' array.", [new("BadDocumentFile", file.Path, "Expected an OData collection response.")]);
        }
        var incoming = items.Select(n => AsStored(collection, n as JsonObject ?? throw ApiException.BadRequest($"{file.Path} holds a value that is not an object."))).ToList();
        foreach (var chunk in incoming.Chunk(ChunkSize))
        {
            var keys = chunk.Select(d => d[collection.Key.Name] is null
                ? throw ApiException.BadRequest($"A document in {file.Path} has no {collection.Key.Name}.")
                : DocumentService.KeyOf(collection, d)).ToList();
            var existing = await session.GetManyAsync(collection, keys, ct);
            var fresh = new List<JsonObject>(chunk.Length);
            for (var i = 0; i < chunk.Length; i++)
            {
                if (!existing.TryGetValue(keys[i], out var stored))
                {
                    fresh.Add(chunk[i]);
                }
                else if (JsonNode.DeepEquals(stored.Document, chunk[i]))
                {
                    State.Count(state.Unchanged, collection.EntitySet, 1);
                }
                else if (skipExisting)
                {
                    state.Skip($"{collection.EntitySet}({ReferenceResolver.FormatKey(keys[i])})");
                }
                else
                {
                    var name = $"{collection.EntitySet}({ReferenceResolver.FormatKey(keys[i])})";
                    throw ApiException.Conflict($"{name} already exists with other content; nothing was imported. Send ?mode=skip-existing to leave it and import the rest.",
                        [new("ContentConflict", name, $"{name} exists with other content.")]);
                }
            }
            if (fresh.Count > 0)
            {
                await documents.RestoreManyInSessionAsync(session, collection, fresh, ct);
                State.Count(state.Inserted, collection.EntitySet, fresh.Count);
            }
            state.Advance($"documents: {collection.EntitySet}", chunk.Length);
        }
    }

    private async Task ImportTilesAsync(StoreSession session, PackageReader package, ManifestFile file, bool skipExisting, State state, CancellationToken ct)
    {
        var acquisitionId = file.AcquisitionId!;
        await using var stream = package.Open(file);
        var before = state.Done;
        SinkResult sink;
        try
        {
            (_, sink) = await tiles.WriteInSessionAsync(session, acquisitionId, TileParquet.ReadAsync(stream, ct), upsert: false, restore: true,
                written => state.AdvanceTo($"tiles of {acquisitionId}", before + written), ct);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            throw ApiException.BadRequest($"{file.Path} is not a readable tile file ({e.Message}); nothing was imported.", [new("BadTileFile", file.Path, e.Message)]);
        }
        if (sink.ConflictCount > 0 && !skipExisting)
        {
            throw TileIngestService.Conflict(sink);
        }
        foreach (var id in sink.Conflicts)
        {
            state.Skip($"Tiles('{id}')");
        }
        state.SkippedCount += sink.ConflictCount - sink.Conflicts.Count;
        State.Count(state.Inserted, Tiles.Definition.EntitySet, sink.Inserted);
        State.Count(state.Unchanged, Tiles.Definition.EntitySet, (file.Count ?? 0) - sink.Inserted - sink.ConflictCount);
        state.AdvanceTo($"tiles of {acquisitionId}", before + (file.Count ?? 0));
    }

    /// <summary>A document as the package holds it (OData: annotations, and null for every absent field) in its stored form.</summary>
    private static JsonObject AsStored(CollectionDefinition collection, JsonObject document)
    {
        foreach (var (name, value) in document.ToList())
        {
            if (name.StartsWith('@') || name.StartsWith("odata.", StringComparison.Ordinal) || (value is null && collection.Find(name) is not null))
            {
                document.Remove(name);
            }
        }
        return document;
    }

    private sealed class State(IProgress<PackageProgress>? progress, long total)
    {
        public Dictionary<string, long> Inserted { get; } = [];
        public Dictionary<string, long> Unchanged { get; } = [];
        public List<string> Skipped { get; } = [];
        public long SkippedCount { get; set; }
        public long Done { get; private set; }

        public static void Count(Dictionary<string, long> counts, string entitySet, long n)
        {
            if (n > 0)
            {
                counts[entitySet] = counts.GetValueOrDefault(entitySet) + n;
            }
        }

        public void Skip(string name)
        {
            SkippedCount++;
            if (Skipped.Count < ReportedSkipsLimit)
            {
                Skipped.Add(name);
            }
        }

        public void Advance(string stage, long n) => AdvanceTo(stage, Done + n);

        public void AdvanceTo(string stage, long done)
        {
            Done = done;
            progress?.Report(new PackageProgress(stage, done, total));
        }

        public ImportResult Result() => new(Inserted, Unchanged, Skipped, SkippedCount);
    }
}
