using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;

// Ingest benchmark: N tiles over HTTP (batches of 5,000, NDJSON) into a real Kestrel process on PostgreSQL, next to a
// raw COPY of the same rows through psql; then the ROI quality report over all tiles (its blocks kept current by the
// job during the ingest), its recompute after 5,000 more, and a cold one that recomputes every block.
// Usage: dotnet run -c Release --project bench/Lims.Ingest.Bench -- --pg "<Npgsql connection string of an empty database>" [--tiles 1000000] [--times <file>]
var tiles = Option("--tiles", 1_000_000);
var batch = Option("--batch", 5_000);
var pg = OptionText("--pg") ?? Environment.GetEnvironmentVariable("LIMS_BENCH_POSTGRES")
    ?? throw new ArgumentException("Give --pg \"Host=127.0.0.1;Port=...;Username=...;Database=<empty database>\" (or LIMS_BENCH_POSTGRES).");
// The service as built by the project reference (Release), run as its own process like in production.
var service = OptionText("--service") ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/Lims.Api/bin/Release/net10.0/Lims.Api.dll"));
const int Cols = 1000;
var rows = (tiles + batch + Cols - 1) / Cols;

Console.WriteLine($"Lims ingest benchmark: {tiles:N0} tiles in batches of {batch:N0}, PostgreSQL, {Environment.ProcessorCount} cores");
var port = FreePort();
// The service requires an API key: a throwaway admin key made at start-up (Auth:BootstrapAdminKey) for this run only.
var adminKey = "bench-" + Guid.NewGuid().ToString("N");
using var process = StartService(service, pg, port, adminKey);
// A failed run must not leave its service behind, competing with the next one for the cores.
AppDomain.CurrentDomain.UnhandledException += (_, _) => process.Kill(entireProcessTree: true);
using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(10) };
http.DefaultRequestHeaders.Add("X-Api-Key", adminKey);
await WaitReadyAsync(http, process);

var (acquisitionId, roiId) = await CreateLabAsync(http, rows, Cols);
// Only the requests are timed: building the bodies is the client's work, not the service's.
var requestSeconds = new List<double>();
for (var start = 0; start < tiles; start += batch)
{
    requestSeconds.Add(await PostBatchAsync(http, acquisitionId, start, Math.Min(batch, tiles - start)));
}
var httpSeconds = requestSeconds.Sum();
if (OptionText("--times") is { } timesFile)
{
    // Every request's seconds, in order, for a closer look at the slow ones.
    File.WriteAllLines(timesFile, requestSeconds.Select(s => s.ToString(CultureInfo.InvariantCulture)));
}
// Per tenth of the run: whether requests slow down as the table grows, or only now and then (jobs, autovacuum).
var tenths = requestSeconds.Chunk(Math.Max(1, requestSeconds.Count / 10)).Select(c => c.Order().ElementAt(c.Length / 2) * 1000).ToList();
var peakKb = PeakMemoryKb(process.Id);

// The quality-report job keeps the acquisition's blocks current during the ingest (debounced, at most every
// Workflow:MaxDebounce); wait for its last run, as a dashboard would see the stored report, and so that it does not
// compete with psql's COPY below.
var clock = Stopwatch.StartNew();
await WaitForJobsAsync(pg, acquisitionId);
var settleSeconds = clock.Elapsed.TotalSeconds;

// The same rows (as the service stored them, with the same generated columns and indexes) through psql's COPY.
var file = Path.Combine(Path.GetTempPath(), $"lims-bench-{Guid.NewGuid():N}.tsv");
await using (var connection = new NpgsqlConnection(pg))
{
    await connection.OpenAsync();
    await using var create = new NpgsqlCommand("DROP TABLE IF EXISTS raw_tiles; CREATE TABLE raw_tiles (LIKE tiles INCLUDING ALL)", connection);
    await create.ExecuteNonQueryAsync();
    await using var reader = await connection.BeginTextExportAsync($"COPY (SELECT id, doc, row_version FROM tiles WHERE acquisition_id = '{acquisitionId}') TO STDOUT");
    await using var writer = File.CreateText(file);
    var buffer = new char[1 << 16];
    int read;
    while ((read = await reader.ReadAsync(buffer)) > 0)
    {
        await writer.WriteAsync(buffer.AsMemory(0, read));
    }
}
var psql = new NpgsqlConnectionStringBuilder(pg);
clock.Restart();
Run("psql", "-h", psql.Host!, "-p", psql.Port.ToString(CultureInfo.InvariantCulture), "-U", psql.Username ?? "postgres", "-d", psql.Database!, "-v", "ON_ERROR_STOP=1", "-q",
    "-c", $"\\copy raw_tiles (id, doc, row_version) FROM '{file}'");
var copySeconds = clock.Elapsed.TotalSeconds;
File.Delete(file);

clock.Restart();
var report = JsonNode.Parse(await http.GetStringAsync($"/quality/rois/{roiId}?refresh=true"))!;
var reportSeconds = clock.Elapsed.TotalSeconds;
await PostBatchAsync(http, acquisitionId, tiles, batch);
clock.Restart();
var again = JsonNode.Parse(await http.GetStringAsync($"/quality/rois/{roiId}?refresh=true"))!;
var recomputeSeconds = clock.Elapsed.TotalSeconds;
// Cold: every block recomputed from the tiles, as after a change of thresholds or raster.
await using (var connection = new NpgsqlConnection(pg))
{
    await connection.OpenAsync();
    await using var forget = new NpgsqlCommand("DELETE FROM quality_blocks WHERE acquisition_id = @a", connection);
    forget.Parameters.AddWithValue("a", acquisitionId);
    await forget.ExecuteNonQueryAsync();
}
clock.Restart();
var cold = JsonNode.Parse(await http.GetStringAsync($"/quality/rois/{roiId}?refresh=true"))!;
var coldSeconds = clock.Elapsed.TotalSeconds;
if (cold["focus"]!.ToJsonString() != again["focus"]!.ToJsonString() || cold["failing_tile_count"]!.ToJsonString() != again["failing_tile_count"]!.ToJsonString())
{
    throw new InvalidOperationException($"The cold report differs from the incremental one: {cold["focus"]} vs {again["focus"]}");
}

Console.WriteLine($"HTTP ingest     : {tiles / httpSeconds,12:N0} tiles/s  ({httpSeconds:N1} s in requests)");
Console.WriteLine($"request medians : {string.Join(" ", tenths.Select(t => t.ToString("N0", CultureInfo.InvariantCulture)))} ms per tenth of the run");
Console.WriteLine($"psql \\copy      : {tiles / copySeconds,12:N0} tiles/s  ({copySeconds:N1} s)");
Console.WriteLine($"ratio HTTP/COPY : {copySeconds / httpSeconds,12:N2}  (target >= 0.5)");
Console.WriteLine($"service peak RSS: {peakKb / 1024.0,12:N0} MB (VmHWM)");
Console.WriteLine($"jobs settled    : {settleSeconds,12:N2} s after the last batch");
Console.WriteLine($"ROI report      : {reportSeconds,12:N2} s over {report["tile_count"]} tiles (target < 1 s)");
Console.WriteLine($"ROI recompute   : {recomputeSeconds,12:N2} s after {batch:N0} more tiles ({again["tile_count"]} tiles)");
Console.WriteLine($"ROI cold report : {coldSeconds,12:N2} s (every block recomputed; same figures as the incremental one)");
process.Kill(entireProcessTree: true);
return 0;

async Task<double> PostBatchAsync(HttpClient client, string acquisition, int start, int count)
{
    var body = new StringBuilder(count * 420);
    for (var i = start; i < start + count; i++)
    {
        var (row, col) = (i / Cols, i % Cols);
        body.Append(CultureInfo.InvariantCulture,
            $$"""{"tile_id":"{{acquisition}}-{{i}}","raster_index":{{i}},"raster_position":{"row":{{row}},"col":{{col}}},"stage_position":{"x":{{col * 3600}},"y":{{row * 3600}}},"focus_score":{{0.6 + (i % 37 / 100.0)}},"min_value":{{10 + (i % 7)}},"max_value":240,"mean_value":{{120 + (i % 11)}},"std_value":{{20 + (i % 5)}},"image_path":"s3://bench/{{acquisition}}/{{i}}.tif","matcher":[{"row":{{row}},"col":{{col + 1}},"dX":{{i % 3}},"dY":0.5,"match_quality":{{0.8 + (i % 19 / 100.0)}},"position":"right"},{"row":{{row + 1}},"col":{{col}},"dX":0.2,"dY":{{i % 4}},"match_quality":0.9,"position":"bottom"}]}""")
            .Append('\n');
    }
    using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToString()));
    content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
    var sent = Stopwatch.StartNew();
    using var response = await client.PostAsync($"/odata/Acquisitions('{acquisition}')/tiles", content);
    var seconds = sent.Elapsed.TotalSeconds;
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"Batch at {start} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
    return seconds;
}

static async Task<(string Acquisition, long Roi)> CreateLabAsync(HttpClient client, int rows, int cols)
{
    var p = "BENCH-" + Guid.NewGuid().ToString("N")[..8];
    async Task<JsonNode> Post(string set, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/odata/{set}", content);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonNode.Parse(text)! : throw new InvalidOperationException($"POST {set}: {text}");
    }
    await Post("Specimens", $$"""{"specimen_id":"{{p}}-SP"}""");
    await Post("Blocks", $$"""{"block_id":"{{p}}-B","specimen_id":"{{p}}-SP"}""");
    await Post("CuttingSessions", $$"""{"cutting_session_id":"{{p}}-CS","block_id":"{{p}}-B","start_time":"2026-03-04T09:00:00Z","media_type":"tape"}""");
    await Post("Substrates", $$"""{"media_id":"{{p}}-T","media_type":"tape","apertures":[{"uid":"A0","index":0}]}""");
    await Post("Sections", $$"""{"section_id":"{{p}}-S","section_number":1,"cutting_session_id":"{{p}}-CS","media_id":"{{p}}-T","aperture_uid":"A0","aperture_index":0}""");
    var roi = (await Post("ROIs", $$"""{"section_id":"{{p}}-S"}"""))["roi_id"]!.GetValue<long>();
    await Post("AcquisitionTasks", $$"""{"task_id":"{{p}}-TASK","roi_id":{{roi}} }""");
    await Post("Acquisitions", $$"""
        {"acquisition_id":"{{p}}-ACQ","acquisition_task_id":"{{p}}-TASK","start_time":"2026-03-05T10:00:00Z",
         "acquisition_settings":{"tile_size":[4000,4000],"tile_overlap":0.1,"saved_bit_depth":8,"raster":{"rows":{{rows}},"cols":{{cols}} } } }
        """);
    return ($"{p}-ACQ", roi);
}

static Process StartService(string dll, string connectionString, int port, string adminKey)
{
    var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
    foreach (var arg in new[] { dll, "--urls", $"http://127.0.0.1:{port}" })
    {
        info.ArgumentList.Add(arg);
    }
    info.Environment["Storage__Provider"] = "Postgres";
    info.Environment["Storage__ConnectionString"] = connectionString;
    info.Environment["Storage__SeedWhenEmpty"] = "false";
    info.Environment["Auth__BootstrapAdminKey"] = adminKey;
    info.Environment["Serilog__MinimumLevel__Default"] = "Warning";
    var process = Process.Start(info)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) { Console.Error.WriteLine("service: " + e.Data); } };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

static async Task WaitReadyAsync(HttpClient client, Process process)
{
    for (var i = 0; i < 600; i++)
    {
        try
        {
            if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
            // not listening yet
        }
        if (process.HasExited)
        {
            throw new InvalidOperationException("The service exited during start-up.");
        }
        await Task.Delay(100);
    }
    throw new TimeoutException("The service did not become ready.");
}

static async Task WaitForJobsAsync(string connectionString, string acquisitionId)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    for (var i = 0; i < 1200; i++)
    {
        await using var pending = new NpgsqlCommand("SELECT COUNT(*) FROM job_requests WHERE job = 'quality-report' AND key = @a", connection);
        pending.Parameters.AddWithValue("a", acquisitionId);
        if ((long)(await pending.ExecuteScalarAsync())! == 0)
        {
            return;
        }
        await Task.Delay(100);
    }
    throw new TimeoutException("The quality-report job did not finish within 2 minutes.");
}

static long PeakMemoryKb(int pid) =>
    File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
        .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).FirstOrDefault();

static void Run(string file, params string[] args)
{
    var info = new ProcessStartInfo(file) { RedirectStandardError = true };
    foreach (var arg in args)
    {
        info.ArgumentList.Add(arg);
    }
    using var p = Process.Start(info)!;
    var error = p.StandardError.ReadToEnd();
    p.WaitForExit();
    if (p.ExitCode != 0)
    {
        throw new InvalidOperationException($"{file} failed: {error}");
    }
}

static int FreePort()
{
    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
    return ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
}

int Option(string name, int fallback) => OptionText(name) is { } text ? int.Parse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : fallback;

string? OptionText(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
