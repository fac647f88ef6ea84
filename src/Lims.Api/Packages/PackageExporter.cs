using System.Data;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lims.Collections;
using Lims.Collections.Definitions;
using Lims.OData;
using Lims.Quality;
using Lims.Storage;

namespace Lims.Packages;

/// <summary>
/// Exports one specimen, block, ROI or acquisition with everything under it as a package (see docs/export-import.md).
/// Everything is read in one snapshot transaction; documents are written by the OData entity writer, tiles by
/// <see cref="TileParquet"/> from one streamed query per acquisition.
/// </summary>
public sealed partial class PackageExporter(DocumentStore store, MetadataDocuments metadata, TimeProvider time)
{
    private const int ChunkSize = 1000;

    /// <summary>The roots a package can be made of, by the URL segment that names them.</summary>
    public static readonly IReadOnlyDictionary<string, CollectionDefinition> Roots = new Dictionary<string, CollectionDefinition>(StringComparer.OrdinalIgnoreCase)
    {
        ["specimens"] = Specimens.Definition,
        ["blocks"] = Blocks.Definition,
        ["rois"] = Rois.Definition,
        ["acquisitions"] = Acquisitions.Definition,
    };

    /// <summary>Opens the snapshot and finds what the package holds; throws 404 before anything is written when the root is missing.</summary>
    public async Task<Export> OpenAsync(CollectionDefinition root, object key, CancellationToken ct)
    {
        var connection = await store.OpenAsync(ct);
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            var session = new StoreSession(store.Dialect, connection, transaction);
            var scope = await PackageScope.ResolveAsync(session, root, key, ct);
            return new Export(this, session, scope);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>An export whose scope is known, ready to write.</summary>
    public sealed class Export(PackageExporter exporter, StoreSession session, PackageScope scope) : IAsyncDisposable
    {
        public PackageScope Scope => scope;

        public string FileName(PackageFormat format) =>
            $"lims-{scope.Root.EntitySet.ToLowerInvariant()}-{Safe(Convert.ToString(scope.RootKey, System.Globalization.CultureInfo.InvariantCulture)!)}{PackageFormats.Extension(format)}";

        public Task WriteAsync(PackageFormat format, string request, Stream output, IProgress<PackageProgress>? progress, CancellationToken ct) =>
            exporter.WriteAsync(session, scope, format, request, output, progress, ct);

        public async ValueTask DisposeAsync()
        {
            await session.Transaction!.DisposeAsync();
            await session.Connection.DisposeAsync();
        }
    }

    private async Task WriteAsync(StoreSession session, PackageScope scope, PackageFormat format, string request, Stream output, IProgress<PackageProgress>? progress, CancellationToken ct)
    {
        var counts = new Dictionary<string, long>();
        var files = new List<ManifestFile>();
        var links = new List<ManifestLink>();
        await using var archive = await PackageArchiveWriter.CreateAsync(format, output, ct);

        var metadataFile = await archive.AddAsync(PackageManifest.MetadataFile, s => s.WriteAsync(metadata.Xml, ct).AsTask(), ct);
        files.Add(Describe(metadataFile));

        var documentTotal = PackageScope.DocumentCollections.Sum(c => (long)scope.KeysOf(c).Count);
        long documentsDone = 0;
        foreach (var collection in PackageScope.DocumentCollections.Where(c => scope.KeysOf(c).Count > 0))
        {
            var keys = scope.KeysOf(collection);
            var file = await archive.AddAsync($"documents/{collection.EntitySet}.json", s => WriteDocumentsAsync(session, collection, keys, links, s, ct), ct);
            files.Add(Describe(file) with { Collection = collection.EntitySet, Count = keys.Count });
            counts[collection.EntitySet] = keys.Count;
            documentsDone += keys.Count;
            progress?.Report(new PackageProgress("documents", documentsDone, documentTotal));
        }

        long tileTotal = 0;
        foreach (var acquisition in scope.TileAcquisitions)
        {
            long rows = 0;
            var file = await archive.AddAsync($"tiles/{Safe(acquisition)}.parquet", async s =>
                rows = await TileParquet.WriteAsync(TilesOf(session, acquisition, ct), s,
                    done => progress?.Report(new PackageProgress($"tiles of {acquisition}", tileTotal + done, -1)), ct), ct);
            files.Add(Describe(file) with { Collection = Tiles.Definition.EntitySet, AcquisitionId = acquisition, Count = rows });
            tileTotal += rows;
        }
        counts[Tiles.Definition.EntitySet] = tileTotal;

        foreach (var reportId in scope.KeysOf(QualityReports.Definition).Cast<string>())
        {
            var stored = await session.GetAsync(QualityReports.Definition, reportId, ct);
            var report = QualityReport.FromDocument(stored!.Document);
            var folder = $"quality/{Safe(reportId.Replace(':', '-'))}";
            var csv = await archive.AddAsync($"{folder}/failing-tiles.csv", s => s.WriteAsync(Encoding.UTF8.GetBytes(FailingTilesCsv.Render(report)), ct).AsTask(), ct);
            files.Add(Describe(csv) with { ReportId = reportId });
            var svg = await archive.AddAsync($"{folder}/heatmap.svg", s => HeatmapSvg.WriteAsync(report, QualityEndpoints.HeatmapTiles(session, ct), s, ct), ct);
            files.Add(Describe(svg) with { ReportId = reportId });
        }

        var manifest = new PackageManifest
        {
            Source = new ManifestSource("Lims", PackageManifest.LimsVersion, store.Dialect.Name, Validation.DocumentNormalizer.FormatTime(time.GetUtcNow())),
            Request = new ManifestRequest(scope.Root.EntitySet, JsonSerializer.SerializeToElement(scope.RootKey), request, PackageFormats.Name(format)),
            Counts = counts,
            Files = files,
            Links = links,
        };
        await archive.AddAsync(PackageManifest.FileName, s => JsonSerializer.SerializeAsync(s, manifest, PackageManifest.JsonOptions, ct), ct);
        progress?.Report(new PackageProgress("done", 1, 1));
    }

    private static ManifestFile Describe(PackageFile file) => new(file.Path, file.Bytes, file.Sha256);

    /// <summary>One collection's documents as an OData collection response, in key order, a chunk of keys per query.</summary>
    private static async Task WriteDocumentsAsync(
        StoreSession session, CollectionDefinition collection, IReadOnlyCollection<object> keys, List<ManifestLink> links, Stream output, CancellationToken ct)
    {
        await using var writer = new Utf8JsonWriter(output, JsonOutput.Options);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", $"$metadata#{collection.EntitySet}");
        writer.WriteStartArray("value");
        foreach (var chunk in keys.Chunk(ChunkSize))
        {
            var rows = new Dictionary<object, (string Json, long Version)>();
            await using (var command = session.Command($"SELECT id, doc, row_version FROM {collection.Table} WHERE {session.Dialect.InList("id", "@ids")}"))
            {
                session.Dialect.AddListParameter(command, "@ids", chunk, SqlDialect.KindOf(collection.Key));
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    rows[StoreSession.KeyValue(collection, reader.GetValue(0))] = (reader.GetString(1), reader.GetInt64(2));
                }
            }
            foreach (var key in chunk)
            {
                var (json, version) = rows[key];
                using var document = JsonDocument.Parse(json);
                EntityJsonWriter.Write(writer, collection, document.RootElement, version);
                AddLinks(collection, key, document.RootElement, links);
            }
            await writer.FlushAsync(ct);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void AddLinks(CollectionDefinition collection, object key, JsonElement document, List<ManifestLink> links)
    {
        foreach (var reference in collection.References)
        {
            if (document.TryGetProperty(reference.Field, out var parent) && parent.ValueKind != JsonValueKind.Null)
            {
                links.Add(new ManifestLink(collection.EntitySet, JsonSerializer.SerializeToElement(key), reference.Field, reference.Target, parent.Clone()));
            }
        }
    }

    /// <summary>An acquisition's stored tiles, in raster order, from one streamed query.</summary>
    private static async IAsyncEnumerable<string> TilesOf(StoreSession session, string acquisitionId, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var command = session.Command(
            $"SELECT doc FROM {Tiles.Definition.Table} WHERE acquisition_id = @acquisition ORDER BY raster_index, id", ("@acquisition", acquisitionId));
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
        while (await reader.ReadAsync(ct))
        {
            yield return reader.GetString(0);
        }
    }

    /// <summary>An id as a file name: characters other than letters, digits, '.', '_' and '-' become '_' (the manifest keeps the id).</summary>
    public static string Safe(string id) => UnsafeCharacters().Replace(id, "_");

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex UnsafeCharacters();
}
