using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parquet;

namespace Lims.Packages;

/// <summary>
/// Writes an acquisition's tiles to a Parquet file a row group at a time, and reads them back as tile documents.
/// Only one row group of values is held in memory, whatever the number of tiles.
/// </summary>
public static class TileParquet
{
    /// <summary>Rows per row group: large enough for fast column scans, small enough to keep memory flat.</summary>
    public const int RowGroupSize = 64 * 1024;

    /// <summary>Writes <paramref name="tiles"/> (stored tile JSON) to <paramref name="output"/> (seekable); returns the row count.</summary>
    public static async Task<long> WriteAsync(IAsyncEnumerable<string> tiles, Stream output, Action<long>? progress, CancellationToken ct)
    {
        var columns = TileColumns.Create();
        await using var writer = await ParquetWriter.CreateAsync(TileColumns.Schema(columns), output, cancellationToken: ct);
        writer.CustomMetadata = new Dictionary<string, string> { ["lims.collection"] = "Tiles" };
        long rows = 0;
        await foreach (var json in tiles.WithCancellation(ct))
        {
            using (var document = JsonDocument.Parse(json))
            {
                foreach (var column in columns)
                {
                    column.Add(document.RootElement);
                }
            }
            if (columns[0].Count == RowGroupSize)
            {
                rows += await FlushAsync(writer, columns, ct);
                progress?.Invoke(rows);
            }
        }
        // A file with no tiles still gets one (empty) row group, so every reader sees the schema and zero rows.
        if (columns[0].Count > 0 || rows == 0)
        {
            rows += await FlushAsync(writer, columns, ct);
            progress?.Invoke(rows);
        }
        return rows;
    }

    private static async Task<int> FlushAsync(ParquetWriter writer, IReadOnlyList<ColumnBuffer> columns, CancellationToken ct)
    {
        var count = columns[0].Count;
        using var group = writer.CreateRowGroup();
        foreach (var column in columns)
        {
            await column.WriteAsync(group, ct);
            column.Clear();
        }
        return count;
    }

    /// <summary>The tiles of a package's Parquet file, as documents, a row group at a time.</summary>
    public static async IAsyncEnumerable<JsonObject> ReadAsync(Stream input, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var reader = await ParquetReader.CreateAsync(input, cancellationToken: ct);
        var columns = TileColumns.Create();
        _ = TileColumns.Schema(columns); // a schema sets each field's definition level, which reading needs
        var missing = columns.Where(c => !reader.Schema.DataFields.Any(f => f.Name == c.Field.Name)).Select(c => c.Field.Name).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"The tile file lacks the column(s) {string.Join(", ", missing)}.");
        }
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = checked((int)group.RowCount);
            foreach (var column in columns)
            {
                await column.ReadAsync(group, rows, ct);
            }
            for (var row = 0; row < rows; row++)
            {
                var tile = new JsonObject();
                foreach (var column in columns)
                {
                    column.Fill(tile, row);
                }
                // Re-parsed, so values are JSON-backed like a request's: validators read an integer as a number too.
                yield return JsonNode.Parse(tile.ToJsonString())!.AsObject();
            }
        }
    }

    /// <summary>The row count from the file's footer, without reading its columns.</summary>
    public static async Task<long> CountAsync(Stream input, CancellationToken ct)
    {
        await using var reader = await ParquetReader.CreateAsync(input, cancellationToken: ct);
        return reader.RowGroups.Sum(g => g.RowCount);
    }
}
