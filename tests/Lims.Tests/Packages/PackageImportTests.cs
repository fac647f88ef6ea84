using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Lims.Cli;
using Lims.Tests.Infrastructure;
using Lims.Tests.Packaging;

namespace Lims.Tests.Packages;

/// <summary>A source store with labs to export and a separate target store to import into, both SQLite, jobs off.</summary>
public sealed class PackageStores : IAsyncLifetime
{
    public LimsApp Source { get; private set; } = null!;
    public LimsApp Target { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?> { ["Workflow:RunJobs"] = "false" };
        Source = await LimsApp.StartAsync(StoreKind.Sqlite, settings);
        Target = await LimsApp.StartAsync(StoreKind.Sqlite, settings);
    }

    public Task DisposeAsync()
    {
        Source.Dispose();
        Target.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class PackageImportTests(PackageStores stores) : IClassFixture<PackageStores>
{
    private readonly HttpClient _source = stores.Source.CreateClient();
    private readonly HttpClient _target = stores.Target.CreateClient();

    private async Task<(LabBuilder Lab, byte[] Package)> ExportedLabAsync(string root = "specimens")
    {
        var lab = await PackageFiles.LabWithTilesAsync(_source);
        var id = root == "acquisitions" ? lab.AcquisitionId : lab.SpecimenId;
        return (lab, await PackageFiles.ExportAsync(_source, $"/export/{root}/{id}"));
    }

    private async Task AssertNothingImportedAsync(LabBuilder lab)
    {
        foreach (var url in new[] { $"/odata/Specimens('{lab.SpecimenId}')", $"/odata/Blocks('{lab.BlockId}')", $"/odata/Acquisitions('{lab.AcquisitionId}')" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await _target.GetJsonAsync(url)).Status);
        }
        var tiles = await _target.GetJsonAsync($"/odata/Tiles/$count?$filter=acquisition_id eq '{lab.AcquisitionId}'");
        Assert.Equal("0", tiles.Body!.GetValue<string>());
    }

    [Fact]
    public async Task A_file_changed_after_export_is_refused_by_its_checksum_and_nothing_is_written()
    {
        var (lab, package) = await ExportedLabAsync();
        var entries = PackageFiles.Entries(package);
        var changed = entries.Select(e => e.Path == "documents/Specimens.json"
            ? (e.Path, Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(e.Bytes).Replace("test specimen", "best specimen", StringComparison.Ordinal)))
            : e).ToList();

        var reply = await PackageFiles.ImportAsync(_target, PackageFiles.TarGz(changed));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("ChecksumMismatch", reply.Body!["error"]!["details"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(["documents/Specimens.json"], reply.ErrorTargets);
        await AssertNothingImportedAsync(lab);
    }

    [Fact]
    public async Task A_truncated_archive_is_refused_and_nothing_is_written()
    {
        var (lab, package) = await ExportedLabAsync();

        var reply = await PackageFiles.ImportAsync(_target, package[..(package.Length * 2 / 3)]);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Matches("truncated|manifest", reply.Body!["error"]!["message"]!.GetValue<string>());
        await AssertNothingImportedAsync(lab);
    }

    [Fact]
    public async Task A_document_stored_with_other_content_refuses_the_whole_import_unless_skip_existing()
    {
        var (lab, package) = await ExportedLabAsync();
        var clash = await _target.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = lab.SpecimenId, ["description"] = "another lab's specimen" });
        Assert.Equal(HttpStatusCode.Created, clash.Status);

        var refused = await PackageFiles.ImportAsync(_target, package);

        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Contains($"Specimens('{lab.SpecimenId}')", refused.Body!["error"]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await _target.GetJsonAsync($"/odata/Blocks('{lab.BlockId}')")).Status);

        var skipped = await PackageFiles.ImportAsync(_target, package, "?mode=skip-existing");

        Assert.True(skipped.Status == HttpStatusCode.OK, skipped.ToString());
        Assert.Equal([$"Specimens('{lab.SpecimenId}')"], skipped.Object["skipped_existing"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(20, skipped.Object["inserted"]!["Tiles"]!.GetValue<long>());
        Assert.Equal("another lab's specimen", (await _target.GetJsonAsync($"/odata/Specimens('{lab.SpecimenId}')")).Object["description"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await _target.GetJsonAsync($"/odata/Blocks('{lab.BlockId}')")).Status);

        // The same package again changes nothing: every document and tile is found identical.
        var again = await PackageFiles.ImportAsync(_target, package, "?mode=skip-existing");
        Assert.True(again.Status == HttpStatusCode.OK, again.ToString());
        Assert.Empty(again.Object["inserted"]!.AsObject());
        Assert.Equal(20, again.Object["unchanged"]!["Tiles"]!.GetValue<long>());
    }

    [Fact]
    public async Task Import_is_for_admins_only()
    {
        var (_, package) = await ExportedLabAsync("acquisitions");
        using var technician = await stores.Target.CreateClientForRoleAsync("technician");

        var reply = await PackageFiles.ImportAsync(technician, package);

        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
    }

    [Fact]
    public async Task An_import_records_one_audit_entry_with_its_counts_in_its_transaction()
    {
        var (lab, package) = await ExportedLabAsync("acquisitions");

        var reply = await PackageFiles.ImportAsync(_target, package);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        var entries = await _target.GetJsonAsync($"/odata/AuditEntries?$filter=operation eq 'import' and entity_key eq '{lab.AcquisitionId}'");
        var entry = Assert.Single(entries.Value)!;
        Assert.Equal("Acquisitions", entry["entity_set"]!.GetValue<string>());
        Assert.Equal(20, entry["details"]!["inserted"]!["Tiles"]!.GetValue<long>());
        Assert.Equal(reply.Response.Headers.GetValues("X-Correlation-Id").Single(), entry["correlation_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ndjson_import_streams_progress_then_the_result()
    {
        var (lab, package) = await ExportedLabAsync("acquisitions");
        using var content = new ByteArrayContent(package);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/import") { Content = content };
        request.Headers.Accept.ParseAdd("application/x-ndjson");

        using var response = await _target.SendAsync(request);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();

        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(20, lines[^1]["result"]!["inserted"]!["Tiles"]!.GetValue<long>());
        Assert.All(lines[..^1], l => Assert.InRange(l["progress"]!["done"]!.GetValue<long>(), 0, l["progress"]!["total"]!.GetValue<long>()));
        Assert.Equal(HttpStatusCode.OK, (await _target.GetJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')")).Status);
    }

    [Fact]
    public async Task An_acquisition_package_holds_its_lineage_but_not_its_siblings()
    {
        var lab = await PackageFiles.LabWithTilesAsync(_source);
        await lab.Create("Acquisitions", lab.Acquisition(lab.AcquisitionId + "-2", 1, 1));

        var entries = PackageFiles.Entries(await PackageFiles.ExportAsync(_source, $"/export/acquisitions/{lab.AcquisitionId}"));

        var acquisitions = JsonNode.Parse(entries.Single(e => e.Path == "documents/Acquisitions.json").Bytes)!["value"]!.AsArray();
        Assert.Equal([lab.AcquisitionId], acquisitions.Select(a => a!["acquisition_id"]!.GetValue<string>()));
        Assert.Contains(entries, e => e.Path == "documents/Specimens.json");
        Assert.Contains(entries, e => e.Path == "documents/Substrates.json");
        var manifest = PackageFiles.Manifest(entries);
        Assert.Equal(1, manifest["counts"]!["ROIs"]!.GetValue<long>());
        Assert.Contains(manifest["links"]!.AsArray(), l => l!["collection"]!.GetValue<string>() == "Blocks" && l["parent_key"]!.GetValue<string>() == lab.SpecimenId);
        var sha = manifest["files"]!.AsArray().Single(f => f!["path"]!.GetValue<string>() == "documents/Acquisitions.json")!["sha256"]!.GetValue<string>();
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(entries.Single(e => e.Path == "documents/Acquisitions.json").Bytes)), sha);
    }

    [Fact]
    public async Task The_export_and_import_commands_move_a_ROI_between_stores()
    {
        var lab = await PackageFiles.LabWithTilesAsync(_source);
        var file = Path.Combine(Path.GetTempPath(), $"lims-roi-{Guid.NewGuid():N}.zip");
        try
        {
            Assert.Equal(0, await CommandLine.RunAsync(stores.Source.Services, "export", ["export", "rois", lab.RoiId.ToString(System.Globalization.CultureInfo.InvariantCulture), file]));
            Assert.Equal((byte)'P', (await File.ReadAllBytesAsync(file))[0]);
            Assert.Equal(0, await CommandLine.RunAsync(stores.Target.Services, "import", ["import", file]));
            Assert.Equal(1, await CommandLine.RunAsync(stores.Target.Services, "import", ["import", file + ".missing"]));
        }
        finally
        {
            File.Delete(file);
        }

        var roi = await _target.GetJsonAsync($"/odata/ROIs({lab.RoiId})");
        Assert.Equal(HttpStatusCode.OK, roi.Status);
        var tiles = await _target.GetJsonAsync($"/odata/Tiles/$count?$filter=acquisition_id eq '{lab.AcquisitionId}'");
        Assert.Equal("20", tiles.Body!.GetValue<string>());
        var acquisition = (await _target.GetJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')")).Object;
        Assert.Equal(20, acquisition["tile_count"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_third_party_reader_reads_the_tile_count_and_a_column()
    {
        var (_, package) = await ExportedLabAsync("acquisitions");
        var tiles = PackageFiles.Entries(package).Single(e => e.Path.StartsWith("tiles/", StringComparison.Ordinal));
        var file = Path.Combine(Path.GetTempPath(), $"lims-tiles-{Guid.NewGuid():N}.parquet");
        await File.WriteAllBytesAsync(file, tiles.Bytes);
        try
        {
            var folder = RepositoryFiles.PathOf("tests/parquet-reader");
            Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "hyparquet")), "hyparquet is not installed: run scripts/test.sh (or npm install --prefix tests/parquet-reader)");
            var read = await RunNodeAsync(folder, "read-column.mjs", file, "raster_index");
            var focus = await RunNodeAsync(folder, "read-column.mjs", file, "focus_score");

            Assert.Equal(PackageFiles.Rows * PackageFiles.Cols, read["rows"]!.GetValue<int>());
            Assert.Equal(Enumerable.Range(0, 20), read["values"]!.AsArray().Select(v => v!.GetValue<int>()));
            Assert.Equal(Enumerable.Range(0, 20).Select(i => 0.5 + (i * 0.01)), focus["values"]!.AsArray().Select(v => v!.GetValue<double>()));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<JsonNode> RunNodeAsync(string folder, params string[] args)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"node {string.Join(' ', args)} failed: {await error}");
        return JsonNode.Parse(await output)!;
    }
}
