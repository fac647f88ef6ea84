using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Lims.Bench;
using Lims.Collections;
using Lims.OData;
using Lims.OData.Query;
using Lims.Storage;
using Npgsql;

/// <summary>
/// Dashboard benchmark: loads tiles into PostgreSQL, serves them with Lims on Kestrel (127.0.0.1), runs a fixed mix of
/// OData queries at a fixed concurrency for a bounded number of requests, prints throughput, p50/p99 and each query's plan.
/// Usage: dotnet run -c Release --project bench/Lims.Bench -- [--tiles 1000000] [--requests 400] [--concurrency 8] [--connection "Host=..."]
/// </summary>
internal static class BenchMain
{
    public static async Task<int> Main(string[] args)
    {
        var tiles = (int)Option(args, "--tiles", 1_000_000);
        var requests = (int)Option(args, "--requests", 400);
        var concurrency = (int)Option(args, "--concurrency", 8);
        var admin = args.SkipWhile(a => a != "--connection").Skip(1).FirstOrDefault();

        using var server = admin is null ? ThrowawayPostgres.Start() : null;
        var database = await CreateDatabaseAsync(admin ?? server!.ConnectionString);
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        StartService(baseUrl, database);
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
        await WaitReadyAsync(http);

        var load = Stopwatch.StartNew();
        var acquisitions = await TileLoader.LoadAsync(database, tiles);
        Console.WriteLine($"Loaded {tiles:N0} tiles in {acquisitions} acquisitions in {load.Elapsed.TotalSeconds:0.0} s ({tiles / load.Elapsed.TotalSeconds:N0} rows/s, binary COPY).");
        Console.WriteLine($"Mix: {requests} requests per query at concurrency {concurrency}, Kestrel on {baseUrl}, page size 1000.\n");

        var rois = Math.Max(1, (acquisitions + 4) / 5);
        var deepIds = Enumerable.Range(0, 10).Select(i => $"{TileLoader.AcquisitionId((int)(acquisitions * (0.5 + (i * 0.045))))}-t{(i * 997) % TileLoader.TilesPerAcquisition:000000}").ToList();
        var queries = new List<(string Name, Func<int, string> Url)>
        {
            ("indexed filter + top", i => $"/odata/Tiles?$filter=acquisition_id eq '{TileLoader.AcquisitionId(i % acquisitions)}' and focus_score lt 0.05&$orderby=focus_score&$top=20&$select=tile_id,focus_score"),
            ("count with filter", i => $"/odata/Tiles/$count?$filter=roi_id eq {(i % rois) + 1} and focus_score lt 0.01"),
            ("groupby/aggregate per acquisition", i => $"/odata/Tiles?$apply=filter(roi_id eq {(i % rois) + 1})/groupby((acquisition_id),aggregate(focus_score with average as focus,focus_score with min as worst,$count as tiles))"),
            ("acquisition + 10 worst tiles", i => $"/odata/Acquisitions('{TileLoader.AcquisitionId(i % acquisitions)}')?$expand=tiles($orderby=focus_score;$top=10;$select=tile_id,focus_score)"),
            ("deep keyset page", i => $"/odata/Tiles?$select=tile_id,focus_score&$top=100&$skiptoken={SkipToken.Encode([], deepIds[i % deepIds.Count])}"),
        };

        Console.WriteLine($"{"query",-36} {"req/s",8} {"p50 ms",8} {"p99 ms",8}");
        foreach (var (name, url) in queries)
        {
            await RunAsync(http, url, 20, concurrency); // warm-up
            var (throughput, p50, p99) = await RunAsync(http, url, requests, concurrency);
            Console.WriteLine($"{name,-36} {throughput,8:0.0} {p50,8:0.0} {p99,8:0.0}");
        }
        var mixed = await RunAsync(http, i => queries[i % queries.Count].Url(i / queries.Count), requests * queries.Count, concurrency);
        Console.WriteLine($"{"all five interleaved",-36} {mixed.Throughput,8:0.0} {mixed.P50,8:0.0} {mixed.P99,8:0.0}\n");

        foreach (var (name, url) in queries)
        {
            Console.WriteLine($"EXPLAIN {name}: {Uri.UnescapeDataString(url(1))}");
            foreach (var line in await ExplainAsync(database, baseUrl, url(1)))
            {
                Console.WriteLine("    " + line);
            }
        }
        return 0;
    }

    private static async Task<(double Throughput, double P50, double P99)> RunAsync(HttpClient http, Func<int, string> url, int count, int concurrency)
    {
        var latencies = new double[count];
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(url(i), ct);
            await response.Content.ReadAsByteArrayAsync(ct);
            response.EnsureSuccessStatusCode();
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        });
        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return (count / elapsed, latencies[(int)(count * 0.50)], latencies[Math.Min(count - 1, (int)(count * 0.99))]);
    }

    /// <summary>The statement the service runs for a URL, compiled the same way, under EXPLAIN.</summary>
    private static async Task<List<string>> ExplainAsync(string database, string baseUrl, string url)
    {
        var root = new Uri(baseUrl + "/odata/");
        var model = EdmModelBuilder.Build(Catalog.All);
        var parser = ODataUriFactory.Create(model, root, new Uri(baseUrl + url));
        var path = parser.ParsePath().ToList();
        var set = Catalog.Get(((Microsoft.OData.UriParser.EntitySetSegment)path[0]).EntitySet.Name);
        var limits = new ODataLimits();
        var context = new QueryContext(limits, TimeProvider.System, parser.ParameterAliasNodes);
        var plan = QueryCompiler.Compile(parser, set, new PostgresDialect(), context);
        string sql;
        if (path.Count > 1 && path[1] is Microsoft.OData.UriParser.CountSegment)
        {
            sql = plan.CountSql;
        }
        else if (plan.Apply is { } apply)
        {
            sql = apply.Select(plan, plan.Count, limits.MaxPageSize + 1).Sql;
        }
        else if (path.Count > 1 && path[1] is Microsoft.OData.UriParser.KeySegment key && plan.Expands.Count > 0)
        {
            sql = ExpandLoader.Sql(plan.Expands[0], [key.Keys.Single().Value], limits).Sql;
            plan = plan.Expands[0].Plan;
        }
        else
        {
            sql = new PageStatement(plan, QueryExecutor.PageSize(plan, limits)).Sql;
        }
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql;
        plan.Sql.Bind(command);
        var lines = new List<string> { "SQL: " + sql };
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }
        return lines;
    }

    private static void StartService(string url, string database)
    {
        string[] serviceArgs = [$"--urls={url}", "--Storage:Provider=Postgres", $"--Storage:ConnectionString={database}",
            "--Storage:SeedWhenEmpty=false", "--Serilog:MinimumLevel:Default=Warning", "--Serilog:MinimumLevel:Override:Lims.Requests=Warning"];
        var entry = typeof(Lims.Api.DocumentHandlers).Assembly.EntryPoint!;
        _ = Task.Run(() => entry.Invoke(null, [serviceArgs]));
    }

    private static async Task WaitReadyAsync(HttpClient http)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(500);
        }
        throw new TimeoutException("The service did not become ready within 60 s.");
    }

    private static async Task<string> CreateDatabaseAsync(string admin)
    {
        var name = $"lims_bench_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 50 }.ConnectionString;
    }

    private static long Option(string[] args, string name, long fallback) =>
        args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } value ? long.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
