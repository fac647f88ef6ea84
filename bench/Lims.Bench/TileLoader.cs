using System.Globalization;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Lims.Bench;

/// <summary>
/// Fills the store's own tables (id, doc jsonb, row_version; the hot columns are generated from doc) with binary COPY:
/// a few ROIs and acquisitions, and <c>tiles</c> tiles spread over them, deterministic for a given size.
/// </summary>
public static class TileLoader
{
    public const int TilesPerAcquisition = 10_000;
    public const string Now = "2026-03-01T00:00:00.0000000Z";

    public static string AcquisitionId(int i) => $"BACQ-{i:0000}";

    /// <summary>Tiles arrive ten a second from <see cref="Now"/> on, in the store's fixed-width UTC form.</summary>
    public static string CreatedAt(int tile) =>
        Lims.Validation.DocumentNormalizer.FormatTime(DateTimeOffset.Parse(Now, CultureInfo.InvariantCulture).AddMilliseconds(tile * 100L));

    public static async Task<int> LoadAsync(string connectionString, int tiles)
    {
        var acquisitions = Math.Max(1, (tiles + TilesPerAcquisition - 1) / TilesPerAcquisition);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await CopyAsync(connection, "acquisitions", Enumerable.Range(0, acquisitions).Select(a => (AcquisitionId(a), (object)new Dictionary<string, object?>
        {
            ["acquisition_id"] = AcquisitionId(a),
            ["roi_id"] = (a / 5) + 1,
            ["specimen_id"] = "BENCH-SPECIMEN",
            ["status"] = a % 7 == 0 ? "failed" : "qc-passed",
            ["start_time"] = $"2026-02-{(a % 28) + 1:00}T09:00:00.0000000Z",
            ["created_at"] = Now,
            ["updated_at"] = Now,
        })));
        var random = new Random(42);
        await CopyAsync(connection, "tiles", Enumerable.Range(0, tiles).Select(t =>
        {
            var a = t / TilesPerAcquisition;
            var index = t % TilesPerAcquisition;
            var id = $"{AcquisitionId(a)}-t{index:000000}";
            var mean = 100 + (random.NextDouble() * 50);
            return (id, (object)new Dictionary<string, object?>
            {
                ["tile_id"] = id,
                ["acquisition_id"] = AcquisitionId(a),
                ["roi_id"] = (a / 5) + 1,
                ["specimen_id"] = "BENCH-SPECIMEN",
                ["raster_index"] = index,
                ["raster_position"] = new { row = index / 100, col = index % 100 },
                ["stage_position"] = new { x = (index % 100) * 900.0, y = (index / 100) * 900.0 },
                ["focus_score"] = Math.Round(random.NextDouble(), 4),
                ["min_value"] = 10,
                ["max_value"] = 240,
                ["mean_value"] = Math.Round(mean, 2),
                ["std_value"] = Math.Round(20 + (random.NextDouble() * 10), 2),
                ["image_path"] = $"s3://bench/{AcquisitionId(a)}/{id}.tif",
                ["created_at"] = CreatedAt(t),
                ["updated_at"] = CreatedAt(t),
            });
        }));
        // As after an ingest: statistics current, and the visibility map set so that index-only scans stay index-only.
        await using var analyze = new NpgsqlCommand("VACUUM ANALYZE", connection);
        await analyze.ExecuteNonQueryAsync();
        return acquisitions;
    }

    private static async Task CopyAsync(NpgsqlConnection connection, string table, IEnumerable<(string Id, object Document)> rows)
    {
        await using var writer = await connection.BeginBinaryImportAsync($"COPY {table} (id, doc, row_version) FROM STDIN (FORMAT BINARY)");
        foreach (var (id, document) in rows)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(id, NpgsqlDbType.Text);
            await writer.WriteAsync(JsonSerializer.Serialize(document), NpgsqlDbType.Jsonb);
            await writer.WriteAsync(1L, NpgsqlDbType.Bigint);
        }
        await writer.CompleteAsync();
    }

    public static string Format(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
