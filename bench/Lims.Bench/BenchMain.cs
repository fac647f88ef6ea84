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
/// Usage: dotnet run -c Release --project bench/Lims.Bench -- [--tiles 1000000] [--requests 400] [--concurrency 8] [--connection "Host=..."] [--only NAME]
/// </summary>
internal static class BenchMain
{
    public static async Task<int> Main(string[] args)
    {
        var tiles = (int)Option(args, "--tiles", 1_000_000);
        var requests = (int)Option(args, "--requests", 400);
        var concurrency = (int)Option(args, "--concurrency", 8);
        var admin = args.SkipWhile(a => a != "--connection").Skip(1).FirstOrDefault();
        // --only NAME runs the queries whose name contains NAME (profiling one query).
        var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();

        using var server = admin is null ? ThrowawayPostgres.Start() : null;
        var database = await CreateDatabaseAsync(admin ?? server!.ConnectionString);
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        // The service requires an API key: a throwaway admin key made at start-up for this run only.
        var adminKey = "lims-bench-" + Guid.NewGuid().ToString("N");
        StartService(baseUrl, database, adminKey);
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add("X-Api-Key", adminKey);
        await WaitReadyAsync(http);

        var load = Stopwatch.StartNew();
        var acquisitions = await TileLoader.LoadAsync(database, tiles);
        Console.WriteLine($"Loaded {tiles:N0} tiles in {acquisitions} acquisitions in {load.Elapsed.TotalSeconds:0.0} s ({tiles / load.Elapsed.TotalSeconds:N0} rows/s, binary COPY).");
        Console.WriteLine($"Mix: {requests} requests per query at concurrency {concurrency}, Kestrel on {baseUrl}, page size 1000.\n");

        string Acq(int i) => TileLoader.AcquisitionId((int)((i * 7919L) % acquisitions));
        string At(int tile) => TileLoader.CreatedAt(tile);
        // The fixed dashboard mix of issue 13; i varies the acquisition (or range) a request asks about.
        var queries = new List<Query>
        {
            new("filter + top", i => $"/odata/Tiles?$filter=acquisition_id eq '{Acq(i)}' and focus_score lt 0.01&$top=10"),
            new("filter + count + top=1", i => $"/odata/Tiles?$filter=acquisition_id eq '{Acq(i)}' and mean_value gt 100.5&$count=true&$top=1"),
            new("groupby acquisition avg", _ => "/odata/Tiles?$apply=groupby((acquisition_id),aggregate(focus_score with average as avg))"),
            new($"orderby key, skip {tiles / 2}", _ => $"/odata/Tiles?$orderby=tile_id&$top=100&$skip={tiles / 2}", TargetP99: 100),
            new("expand 10 worst tiles", i => $"/odata/Acquisitions('{Acq(i)}')?$expand=tiles($orderby=focus_score;$top=10)"),
            new("get by key", i => $"/odata/Tiles('{Acq(i)}-t{(i * 37) % TileLoader.TilesPerAcquisition:000000}')"),
            new("nested field filter", i => $"/odata/Tiles?$filter=stage_position/x ge 1000 and stage_position/x lt 2000 and acquisition_id eq '{Acq(i)}'"),
            new("created_at range, top 100", i => $"/odata/Tiles?$filter=created_at ge {At((i * 7919) % tiles)} and created_at lt {At(((i * 7919) % tiles) + 5000)}&$orderby=created_at&$top=100"),
            new("acquisition min/max/count", i => $"/odata/Tiles?$apply=filter(acquisition_id eq '{Acq(i)}')/aggregate(focus_score with min as lo,focus_score with max as hi,$count as n)"),
            new("groupby roi count", _ => "/odata/Tiles?$apply=groupby((roi_id),aggregate($count as n))"),
            new("acquisitions any tile", _ => "/odata/Acquisitions?$filter=tiles/any(t: t/focus_score lt 0.0001)"),
            // Deliver 3 of issue 13: the service's p50 for a page of 100 tiles against PostgreSQL's own time (db ms).
            new("100-tile page", i => $"/odata/Tiles?$filter=acquisition_id eq '{Acq(i)}'&$top=100"),
            new("1000-tile page + 3 nextLinks", i => $"/odata/Tiles?$filter=acquisition_id eq '{Acq(i)}'&$top=4000", Pages: 4),
        };

        if (only is not null)
        {
            queries.RemoveAll(q => !q.Name.Contains(only, StringComparison.OrdinalIgnoreCase));
        }
        var explained = new List<(Query Query, List<string> Plan, double? DbMs)>();
        foreach (var query in queries)
        {
            // Twice: the first run pays the cold reads and hint-bit writes of a freshly loaded table; the second is
            // the execution time the service's requests see.
            await ExplainAsync(database, baseUrl, query.Url(1));
            var (plan, dbMs) = await ExplainAsync(database, baseUrl, query.Url(1));
            explained.Add((query, plan, dbMs));
        }
        Console.WriteLine($"{"query",-32} {"req/s",8} {"p50 ms",8} {"p99 ms",8} {"db ms",7} {"target",7}");
        foreach (var (query, _, dbMs) in explained)
        {
            await RunAsync(http, query, 20, concurrency); // warm-up
            var (throughput, p50, p99) = await RunAsync(http, query, requests, concurrency);
            var met = p99 < query.TargetP99 ? "met" : "MISSED";
            Console.WriteLine($"{query.Name,-32} {throughput,8:0.0} {p50,8:0.0} {p99,8:0.0} {(dbMs is { } d ? d.ToString("0.0", CultureInfo.InvariantCulture) : "-"),7} {met,7}");
        }
        Console.WriteLine("(db ms: PostgreSQL's own execution time of the page's statement, EXPLAIN ANALYZE, the second of two runs.)\n");
        foreach (var (query, plan, _) in explained)
        {
            Console.WriteLine($"EXPLAIN {query.Name}: {Uri.UnescapeDataString(query.Url(1))}");
            foreach (var line in plan)
            {
                Console.WriteLine("    " + line);
            }
        }
        // The service runs inside this process and would keep it alive (retrying a stopped database): stop both.
        server?.Dispose();
        Environment.Exit(0);
        return 0;
    }

    /// <summary>One query of the mix: a URL per request number, how many pages one request follows, its p99 target.</summary>
    private sealed record Query(string Name, Func<int, string> Url, int Pages = 1, double TargetP99 = 20);

    /// <summary>Runs <paramref name="count"/> requests at a fixed concurrency; a paged query's latency covers all its pages.</summary>
    private static async Task<(double Throughput, double P50, double P99)> RunAsync(HttpClient http, Query query, int count, int concurrency)
    {
        var latencies = new double[count];
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var started = Stopwatch.GetTimestamp();
            string? url = query.Url(i);
            for (var page = 0; page < query.Pages && url is not null; page++)
            {
                using var response = await http.GetAsync(url, ct);
                var body = await response.Content.ReadAsByteArrayAsync(ct);
                response.EnsureSuccessStatusCode();
                url = query.Pages > 1 ? NextLink(body) : null;
            }
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        });
        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return (count / elapsed, latencies[(int)(count * 0.50)], latencies[Math.Min(count - 1, (int)(count * 0.99))]);
    }

    private static string? NextLink(byte[] body)
    {
        using var document = System.Text.Json.JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("@odata.nextLink", out var link) ? link.GetString() : null;
    }

    /// <summary>The statement the service runs for a URL, compiled the same way, under EXPLAIN; and its execution time.</summary>
    private static async Task<(List<string> Plan, double? ExecutionMs)> ExplainAsync(string database, string baseUrl, string url)
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
        if (path.Count > 1 && path[1] is Microsoft.OData.UriParser.KeySegment && plan.Expands.Count == 0)
        {
            sql = $"SELECT doc, row_version FROM {set.Table} WHERE id = @id";
        }
        else if (path.Count > 1 && path[1] is Microsoft.OData.UriParser.CountSegment)
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
        command.CommandText = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY ON) " + sql;
        plan.Sql.Bind(command);
        if (path.Count > 1 && path[1] is Microsoft.OData.UriParser.KeySegment byKey && plan.Expands.Count == 0)
        {
            command.Parameters.Add(new NpgsqlParameter("id", byKey.Keys.Single().Value));
        }
        var lines = new List<string> { "SQL: " + sql };
        double? execution = null;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var line = reader.GetString(0);
            lines.Add(line);
            if (line.StartsWith("Execution Time:", StringComparison.Ordinal))
            {
                execution = double.Parse(line.Split(' ')[2], CultureInfo.InvariantCulture);
            }
        }
        return (lines, execution);
    }

    private static void StartService(string url, string database, string adminKey)
    {
        string[] serviceArgs = [$"--urls={url}", "--Storage:Provider=Postgres", $"--Storage:ConnectionString={database}", $"--Auth:BootstrapAdminKey={adminKey}", "--RateLimit:Enabled=false",
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
