using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Lims.Bench;
using Npgsql;

// Jobs benchmark, per store (SQLite, PostgreSQL) and per build of the service (this branch's, and optionally another,
// e.g. main's, for a before/after ratio measured in the same run):
//  - QC latency: time from Lims.MarkAcquired on an acquisition of N tiles (default 10,000) to its final QC status, as
//    a client polling the acquisition every 20 ms sees it; median of --runs;
//  - throughput: --lifecycles one-tile acquisitions marked acquired at once; time until every task is Completed,
//    i.e. two jobs (qc, completion) per acquisition through the whole runner.
// Usage: dotnet run -c Release --project bench/Lims.Jobs.Bench -- [--before <other Lims.Api.dll>] [--tiles 10000] [--runs 3] [--lifecycles 100]
var tiles = Option("--tiles", 10_000);
var runs = Option("--runs", 3);
var lifecycles = Option("--lifecycles", 100);
var after = OptionText("--service") ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/Lims.Api/bin/Release/net10.0/Lims.Api.dll"));
var builds = new List<(string Name, string Dll)>();
if (OptionText("--before") is { } before)
{
    builds.Add(("before", Path.GetFullPath(before)));
}
builds.Add(("after", after));

Console.WriteLine($"Lims jobs benchmark: QC of {tiles:N0} tiles (median of {runs}), {lifecycles} lifecycles; {Environment.ProcessorCount} cores");
using var postgres = ThrowawayPostgres.Start();
var results = new Dictionary<(string Build, string Store), (double QcSeconds, double JobsPerSecond)>();
foreach (var store in new[] { "Sqlite", "Postgres" })
{
    foreach (var (name, dll) in builds)
    {
        var sqliteFile = $"lims-jobs-bench-{Guid.NewGuid():N}";
        var connectionString = store == "Sqlite"
            ? $"Data Source={Path.Combine(Path.GetTempPath(), sqliteFile + ".db")}"
            : await CreateDatabaseAsync(postgres.ConnectionString, $"jobs_bench_{name}_{Guid.NewGuid():N}"[..30]);
        using var service = await Service.StartAsync(dll, store, connectionString);
        var qc = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            qc.Add(await QcLatencyAsync(service.Http, tiles));
        }
        var throughput = await ThroughputAsync(service.Http, lifecycles);
        var median = qc.Order().ElementAt(qc.Count / 2);
        results[(name, store)] = (median, throughput);
        Console.WriteLine($"{store,-9} {name,-7}: MarkAcquired → final QC status {median,7:N2} s (runs: {string.Join(", ", qc.Select(s => s.ToString("N2", CultureInfo.InvariantCulture)))});" +
            $" {throughput,7:N1} jobs/s ({lifecycles} × qc + completion)");
        if (store == "Sqlite")
        {
            service.Dispose();
            // The store, Hangfire's file beside it, and their WAL files.
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), sqliteFile + "*"))
            {
                File.Delete(file);
            }
        }
    }
    if (results.ContainsKey(("before", store)))
    {
        var (b, a) = (results[("before", store)], results[("after", store)]);
        Console.WriteLine($"{store,-9} ratio  : QC latency after/before {a.QcSeconds / b.QcSeconds:N2}; throughput after/before {a.JobsPerSecond / b.JobsPerSecond:N2}");
    }
}
return 0;

static async Task<double> QcLatencyAsync(HttpClient http, int tiles)
{
    var cols = (int)Math.Ceiling(Math.Sqrt(tiles));
    var rows = (tiles + cols - 1) / cols;
    var lab = await Lab.CreateAsync(http, rows, cols);
    await lab.PostTilesAsync(http, tiles, cols);
    var clock = Stopwatch.StartNew();
    await lab.MarkAcquiredAsync(http);
    while (true)
    {
        var status = JsonNode.Parse(await http.GetStringAsync($"/odata/Acquisitions('{lab.Acquisition}')?$select=status"))!["status"]!.GetValue<string>();
        if (status is "qc-passed" or "failed" or "to be re-imaged")
        {
            return clock.Elapsed.TotalSeconds;
        }
        if (clock.Elapsed > TimeSpan.FromMinutes(5))
        {
            throw new TimeoutException($"QC of {lab.Acquisition} did not end within 5 minutes (status '{status}').");
        }
        await Task.Delay(20);
    }
}

static async Task<double> ThroughputAsync(HttpClient http, int count)
{
    var labs = new List<Lab>();
    for (var i = 0; i < count; i++)
    {
        var lab = await Lab.CreateAsync(http, 1, 1);
        await lab.PostTilesAsync(http, 1, 1);
        labs.Add(lab);
    }
    // The tasks went In Progress when their acquisitions were posted; wait for that before the clock starts.
    await WaitForTasksAsync(http, labs, "In Progress");
    var clock = Stopwatch.StartNew();
    foreach (var lab in labs)
    {
        await lab.MarkAcquiredAsync(http);
    }
    await WaitForTasksAsync(http, labs, "Completed");
    return 2 * count / clock.Elapsed.TotalSeconds;
}

static async Task WaitForTasksAsync(HttpClient http, List<Lab> labs, string status)
{
    var prefix = labs[0].Prefix[..6];
    var deadline = Stopwatch.StartNew();
    while (true)
    {
        var done = 0;
        foreach (var chunk in labs.Chunk(40))
        {
            var ids = string.Join(",", chunk.Select(l => $"'{l.Prefix}-TASK'"));
            done += int.Parse(await http.GetStringAsync($"/odata/AcquisitionTasks/$count?$filter=status eq '{status}' and task_id in ({ids})"), CultureInfo.InvariantCulture);
        }
        if (done == labs.Count)
        {
            return;
        }
        if (deadline.Elapsed > TimeSpan.FromMinutes(5))
        {
            throw new TimeoutException($"Only {done} of {labs.Count} tasks ({prefix}...) reached '{status}' within 5 minutes.");
        }
        await Task.Delay(50);
    }
}

static async Task<string> CreateDatabaseAsync(string admin, string name)
{
    await using var connection = new NpgsqlConnection(admin);
    await connection.OpenAsync();
    await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
    await create.ExecuteNonQueryAsync();
    return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
}

int Option(string name, int fallback) => OptionText(name) is { } text ? int.Parse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : fallback;

string? OptionText(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

/// <summary>One specimen → … → task → acquisition chain, with a raster of rows × cols.</summary>
internal sealed record Lab(string Prefix)
{
    public string Acquisition => $"{Prefix}-ACQ";

    public static async Task<Lab> CreateAsync(HttpClient http, int rows, int cols)
    {
        var lab = new Lab("JB" + Guid.NewGuid().ToString("N")[..10]);
        var p = lab.Prefix;
        await SendAsync(http, HttpMethod.Post, "/odata/Specimens", $$"""{"specimen_id":"{{p}}-SP"}""");
        await SendAsync(http, HttpMethod.Post, "/odata/Blocks", $$"""{"block_id":"{{p}}-B","specimen_id":"{{p}}-SP"}""");
        await SendAsync(http, HttpMethod.Post, "/odata/CuttingSessions", $$"""{"cutting_session_id":"{{p}}-CS","block_id":"{{p}}-B","start_time":"2026-03-04T09:00:00Z","media_type":"tape"}""");
        await SendAsync(http, HttpMethod.Post, "/odata/Substrates", $$"""{"media_id":"{{p}}-T","media_type":"tape","apertures":[{"uid":"A0","index":0}]}""");
        await SendAsync(http, HttpMethod.Post, "/odata/Sections", $$"""{"section_id":"{{p}}-S","section_number":1,"cutting_session_id":"{{p}}-CS","media_id":"{{p}}-T","aperture_uid":"A0","aperture_index":0}""");
        var roi = JsonNode.Parse(await SendAsync(http, HttpMethod.Post, "/odata/ROIs", $$"""{"section_id":"{{p}}-S"}"""))!["roi_id"]!.GetValue<long>();
        await SendAsync(http, HttpMethod.Post, "/odata/AcquisitionTasks", $$"""{"task_id":"{{p}}-TASK","roi_id":{{roi}} }""");
        await SendAsync(http, HttpMethod.Post, "/odata/Acquisitions", $$"""
            {"acquisition_id":"{{p}}-ACQ","acquisition_task_id":"{{p}}-TASK","start_time":"2026-03-05T10:00:00Z",
             "acquisition_settings":{"tile_size":[4000,4000],"tile_overlap":0.1,"saved_bit_depth":8,"raster":{"rows":{{rows}},"cols":{{cols}} } } }
            """);
        return lab;
    }

    /// <summary>Every raster position once, good focus, in one NDJSON request.</summary>
    public async Task PostTilesAsync(HttpClient http, int count, int cols)
    {
        var body = new StringBuilder(count * 200);
        for (var i = 0; i < count; i++)
        {
            body.Append(CultureInfo.InvariantCulture,
                $$"""{"tile_id":"{{Acquisition}}-{{i}}","raster_index":{{i}},"raster_position":{"row":{{i / cols}},"col":{{i % cols}}},"focus_score":0.9,"mean_value":120,"std_value":20,"image_path":"s3://bench/{{i}}.tif"}""")
                .Append('\n');
        }
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToString()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        using var response = await http.PostAsync($"/odata/Acquisitions('{Acquisition}')/tiles", content);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Tiles for {Acquisition}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Retried on 412: the quality-report job may update the acquisition's roll-ups at the same moment.</summary>
    public async Task MarkAcquiredAsync(HttpClient http)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var content = new StringContent("{}", Encoding.UTF8, "application/json");
            using var response = await http.PostAsync($"/odata/Acquisitions('{Acquisition}')/Lims.MarkAcquired", content);
            if (response.IsSuccessStatusCode)
            {
                return;
            }
            if (response.StatusCode != System.Net.HttpStatusCode.PreconditionFailed || attempt == 5)
            {
                throw new InvalidOperationException($"MarkAcquired {Acquisition}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    private static async Task<string> SendAsync(HttpClient http, HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? text : throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
    }
}

/// <summary>A Lims.Api.dll as its own process on a free 127.0.0.1 port, with a throwaway admin key; killed on dispose.</summary>
internal sealed class Service : IDisposable
{
    private readonly Process _process;

    private Service(Process process, HttpClient http) => (_process, Http) = (process, http);

    public HttpClient Http { get; }

    public static async Task<Service> StartAsync(string dll, string store, string connectionString)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
        socket.Dispose();
        var key = "bench-" + Guid.NewGuid().ToString("N");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        foreach (var arg in new[] { dll, "--urls", $"http://127.0.0.1:{port}" })
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["Storage__Provider"] = store;
        info.Environment["Storage__ConnectionString"] = connectionString;
        info.Environment["Storage__SeedWhenEmpty"] = "false";
        info.Environment["Auth__BootstrapAdminKey"] = key;
        info.Environment["RateLimit__Enabled"] = "false";
        info.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        var service = new Service(process, http);
        for (var i = 0; i < 600; i++)
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return service;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The service {dll} exited during start-up.");
            }
            await Task.Delay(100);
        }
        service.Dispose();
        throw new TimeoutException("The service did not become ready within 60 s.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        Http.Dispose();
    }
}
