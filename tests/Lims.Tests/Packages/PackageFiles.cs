using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.Packages;

/// <summary>Test-side helpers: a lab with tiles and reports to export, and the archive read and rewritten without the service's code.</summary>
public static class PackageFiles
{
    public const int Rows = 4;
    public const int Cols = 5;

    /// <summary>Specimen → … → ROI with a child ROI → task → acquisition with 20 tiles (one with an undeclared key) and stored quality reports.</summary>
    public static async Task<LabBuilder> LabWithTilesAsync(HttpClient client)
    {
        var lab = await new LabBuilder(client).WithAcquisitionAsync(Rows, Cols);
        await lab.Create("ROIs", new JsonObject { ["section_id"] = lab.SectionId, ["parent_roi_id"] = lab.RoiId, ["optical_pixel_size"] = 125.0 });
        var tiles = new JsonArray([.. Enumerable.Range(0, Rows * Cols).Select(i => (JsonNode)lab.Tile(i / Cols, i % Cols, Cols, focus: 0.5 + (i * 0.01)))]);
        tiles[3]!["operator_note"] = new JsonObject { ["text"] = "dust", ["seen"] = true };
        var ingest = await client.PostJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')/tiles", tiles);
        Assert.True(ingest.Status == HttpStatusCode.OK, ingest.ToString());
        var report = await client.GetJsonAsync($"/quality/acquisitions/{lab.AcquisitionId}");
        Assert.True(report.Status == HttpStatusCode.OK, report.ToString());
        return lab;
    }

    public static async Task<byte[]> ExportAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(bytes)}");
        return bytes;
    }

    public static async Task<HttpJson.Reply> ImportAsync(HttpClient client, byte[] package, string query = "")
    {
        using var content = new ByteArrayContent(package);
        using var response = await client.PostAsync("/import" + query, content);
        var text = await response.Content.ReadAsStringAsync();
        return new HttpJson.Reply(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    /// <summary>The archive's entries in order, read with the runtime's tar/zip readers.</summary>
    public static List<(string Path, byte[] Bytes)> Entries(byte[] archive)
    {
        var entries = new List<(string, byte[])>();
        if (archive[0] == 0x1f)
        {
            using var tar = new TarReader(new GZipStream(new MemoryStream(archive), CompressionMode.Decompress));
            while (tar.GetNextEntry() is { } entry)
            {
                using var data = new MemoryStream();
                entry.DataStream?.CopyTo(data);
                entries.Add((entry.Name, data.ToArray()));
            }
        }
        else
        {
            using var zip = new ZipArchive(new MemoryStream(archive), ZipArchiveMode.Read);
            foreach (var entry in zip.Entries)
            {
                using var data = new MemoryStream();
                using (var stream = entry.Open())
                {
                    stream.CopyTo(data);
                }
                entries.Add((entry.FullName, data.ToArray()));
            }
        }
        return entries;
    }

    public static byte[] TarGz(IEnumerable<(string Path, byte[] Bytes)> entries)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (path, bytes) in entries)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(bytes) });
            }
        }
        return output.ToArray();
    }

    public static JsonObject Manifest(IEnumerable<(string Path, byte[] Bytes)> entries) =>
        JsonNode.Parse(entries.Single(e => e.Path == "manifest.json").Bytes)!.AsObject();
}
