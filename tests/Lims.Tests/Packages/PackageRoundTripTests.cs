using System.Net;
using System.Text.Json.Nodes;
using Lims.Packages;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.Packages;

/// <summary>Export from one store, import into an empty one of the other kind, export again: the same documents and tiles.</summary>
public sealed class PackageRoundTripTests
{
    private static readonly Dictionary<string, string?> _noJobs = new() { ["Workflow:RunJobs"] = "false" };

    [PostgresTheory]
    [InlineData(StoreKind.Sqlite, StoreKind.Postgres, "")]
    [InlineData(StoreKind.Postgres, StoreKind.Sqlite, "?format=zip")]
    public async Task Round_trip_keeps_every_document_and_tile(StoreKind from, StoreKind to, string format)
    {
        using var source = await LimsApp.StartAsync(from, _noJobs);
        using var target = await LimsApp.StartAsync(to, _noJobs);
        var sourceClient = source.CreateClient();
        var targetClient = target.CreateClient();
        var lab = await PackageFiles.LabWithTilesAsync(sourceClient);
        var url = $"/export/specimens/{lab.SpecimenId}{format}";

        var first = await PackageFiles.ExportAsync(sourceClient, url);
        var import = await PackageFiles.ImportAsync(targetClient, first);
        Assert.True(import.Status == HttpStatusCode.OK, import.ToString());
        var second = await PackageFiles.ExportAsync(targetClient, url);

        Assert.Equal(20, import.Object["inserted"]!["Tiles"]!.GetValue<long>());
        var a = PackageFiles.Entries(first);
        var b = PackageFiles.Entries(second);
        var counts = PackageFiles.Manifest(a)["counts"]!.AsObject();
        Assert.Equal(
            new Dictionary<string, long> { ["Specimens"] = 1, ["Blocks"] = 1, ["CuttingSessions"] = 1, ["Substrates"] = 1, ["Sections"] = 1, ["ROIs"] = 2, ["AcquisitionTasks"] = 1, ["Acquisitions"] = 1, ["Tiles"] = 20, ["QualityReports"] = 2 },
            counts.Where(c => !c.Key.EndsWith("Events", StringComparison.Ordinal)).ToDictionary(c => c.Key, c => c.Value!.GetValue<long>()));
        Assert.True(counts["TaskEvents"]!.GetValue<long>() >= 1 && counts["AcquisitionEvents"]!.GetValue<long>() >= 1);
        Assert.True(JsonNode.DeepEquals(counts, PackageFiles.Manifest(b)["counts"]), $"{counts} vs {PackageFiles.Manifest(b)["counts"]}");
        Assert.Equal(a.Select(e => e.Path).Order(), b.Select(e => e.Path).Order());

        foreach (var (path, bytes) in a.Where(e => e.Path.StartsWith("documents/", StringComparison.Ordinal)))
        {
            var before = DocumentsByKey(bytes);
            var after = DocumentsByKey(b.Single(e => e.Path == path).Bytes);
            Assert.Equal(before.Keys.Order(), after.Keys.Order());
            foreach (var (key, document) in before)
            {
                Assert.True(SameJson(document, after[key]), $"{path} {key}:\n{document.ToJsonString()}\n{after[key].ToJsonString()}");
            }
        }
        var tileFile = a.Single(e => e.Path.StartsWith("tiles/", StringComparison.Ordinal));
        var tilesBefore = await TilesAsync(tileFile.Bytes);
        var tilesAfter = await TilesAsync(b.Single(e => e.Path == tileFile.Path).Bytes);
        Assert.Equal(20, tilesBefore.Count);
        Assert.Equal("dust", tilesBefore.Single(t => t["operator_note"] is not null)["operator_note"]!["text"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(new JsonArray([.. tilesBefore]), new JsonArray([.. tilesAfter])), "tile data differs after the round trip");
        Assert.Contains(a, e => e.Path.EndsWith("heatmap.svg", StringComparison.Ordinal) && e.Bytes.Length > 100);
        Assert.Contains(a, e => e.Path == "$metadata.xml");
    }

    /// <summary>A document file's entities by key, without the ETag (a row version of the store that holds it).</summary>
    private static Dictionary<string, JsonObject> DocumentsByKey(byte[] file)
    {
        var values = JsonNode.Parse(file)!["value"]!.AsArray();
        return values.Select(v => v!.AsObject()).ToDictionary(v =>
        {
            v.Remove("@odata.etag");
            return v.First(p => p.Key != "@odata.etag").Value!.ToJsonString();
        });
    }

    private static async Task<List<JsonObject>> TilesAsync(byte[] parquet)
    {
        var tiles = new List<JsonObject>();
        await foreach (var tile in TileParquet.ReadAsync(new MemoryStream(parquet), CancellationToken.None))
        {
            tiles.Add(tile);
        }
        return [.. tiles.OrderBy(t => t["tile_id"]!.GetValue<string>(), StringComparer.Ordinal)];
    }

    /// <summary>
    /// Equal JSON, numbers compared to 1e-12 relative: the importer recounts the mean focus with SQL's AVG, whose last
    /// bit may differ from the running mean the source store kept.
    /// </summary>
    private static bool SameJson(JsonNode? a, JsonNode? b) => (a, b) switch
    {
        (null, null) => true,
        (JsonObject x, JsonObject y) => x.Count == y.Count && x.All(p => y.ContainsKey(p.Key) && SameJson(p.Value, y[p.Key])),
        (JsonArray x, JsonArray y) => x.Count == y.Count && x.Zip(y).All(p => SameJson(p.First, p.Second)),
        (JsonValue x, JsonValue y) when x.TryGetValue<double>(out var m) && y.TryGetValue<double>(out var n) => Math.Abs(m - n) <= 1e-12 * Math.Max(1, Math.Abs(m)),
        _ => JsonNode.DeepEquals(a, b),
    };
}
