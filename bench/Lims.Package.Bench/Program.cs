using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

// Package benchmark: an acquisition with N tiles (default 1,000,000) and one with N/10, in a SQLite store seeded with the
// demo lab; each is exported with `Lims.Api export` and imported into an empty store with `Lims.Api import`, each command
// a process of its own under /usr/bin/time (wall seconds, peak RSS). The N/10 run beside the N run shows whether
// time grows with the tiles and memory stays flat.
// Usage: dotnet run -c Release --project bench/Lims.Package.Bench -- [--tiles 1000000]
var tiles = args.SkipWhile(a => a != "--tiles").Skip(1).Select(t => int.Parse(t, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)).FirstOrDefault(1_000_000);
var service = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/Lims.Api/bin/Release/net10.0/Lims.Api.dll"));
var work = Directory.CreateTempSubdirectory("lims-package-bench-").FullName;
try
{
    Console.WriteLine($"Lims package benchmark: {tiles:N0} and {tiles / 10:N0} tiles, SQLite, {Environment.ProcessorCount} cores");
    var source = Path.Combine(work, "source.db");
    Lims(source, "seed");
    var runs = new List<(int Tiles, Measure Export, long Bytes, Measure Import)>();
    foreach (var (acquisition, count) in new[] { ("ACQ-0003", tiles / 10), ("ACQ-0005", tiles) })
    {
        AddTiles(source, acquisition, count);
        var package = Path.Combine(work, $"{acquisition}.tar.gz");
        var export = Lims(source, "export", "acquisitions", acquisition, package);
        var target = Path.Combine(work, $"target-{acquisition}.db");
        Lims(target, "migrate");
        var import = Lims(target, "import", package);
        var stored = TileCount(target, acquisition);
        if (stored < count)
        {
            throw new InvalidOperationException($"{acquisition}: {stored} tiles imported, expected at least {count}.");
        }
        runs.Add((count, export, new FileInfo(package).Length, import));
    }

    Console.WriteLine();
    Console.WriteLine($"{"tiles",10} {"export s",9} {"CPU s",7} {"peak MB",8} {"package MB",11} {"import s",9} {"CPU s",7} {"peak MB",8}");
    foreach (var (count, export, bytes, import) in runs)
    {
        Console.WriteLine($"{count,10:N0} {export.Seconds,9:F1} {export.CpuSeconds,7:F1} {export.PeakMb,8:F0} {bytes / 1e6,11:F1} {import.Seconds,9:F1} {import.CpuSeconds,7:F1} {import.PeakMb,8:F0}");
    }
    var (small, large) = (runs[0], runs[1]);
    Console.WriteLine();
    Console.WriteLine($"{large.Tiles / small.Tiles}x the tiles: export {large.Export.CpuSeconds / small.Export.CpuSeconds:F1}x the CPU time, {large.Export.PeakMb / small.Export.PeakMb:F2}x the peak RSS; " +
        $"import {large.Import.CpuSeconds / small.Import.CpuSeconds:F1}x the CPU time, {large.Import.PeakMb / small.Import.PeakMb:F2}x the peak RSS");
    Console.WriteLine($"{large.Tiles:N0} tiles: export {large.Tiles / large.Export.Seconds:N0} tiles/s, import {large.Tiles / large.Import.Seconds:N0} tiles/s");
}
finally
{
    Directory.Delete(work, recursive: true);
}

// Runs one Lims.Api command on a SQLite store under /usr/bin/time; returns its wall seconds and peak RSS.
Measure Lims(string database, params string[] command)
{
    var info = new ProcessStartInfo("/usr/bin/time") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = work };
    foreach (var arg in new[] { "-f", "BENCH %e %M %U %S", "dotnet", service }.Concat(command))
    {
        info.ArgumentList.Add(arg);
    }
    info.Environment["Storage__Provider"] = "Sqlite";
    info.Environment["Storage__ConnectionString"] = $"Data Source={database}";
    info.Environment["Storage__SeedWhenEmpty"] = "false";
    info.Environment["Serilog__MinimumLevel__Default"] = "Warning";
    using var process = Process.Start(info)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{string.Join(' ', command)} failed: {error}{output.Result}");
    }
    var figures = error.Split('\n').Last(l => l.StartsWith("BENCH ", StringComparison.Ordinal)).Split(' ');
    var measure = new Measure(double.Parse(figures[1], CultureInfo.InvariantCulture), long.Parse(figures[2], CultureInfo.InvariantCulture) / 1024.0,
        double.Parse(figures[3], CultureInfo.InvariantCulture) + double.Parse(figures[4], CultureInfo.InvariantCulture));
    Console.WriteLine($"  {command[0],-7} {string.Join(' ', command.Skip(1).Select(Path.GetFileName)),-40} {measure.Seconds,7:F1} s {measure.CpuSeconds,7:F1} s CPU {measure.PeakMb,6:F0} MB");
    return measure;
}

// The tiles go straight into the store's table (the bench measures export and import, not ingest), shaped like the seed's.
static void AddTiles(string database, string acquisition, int count)
{
    using var connection = new SqliteConnection($"Data Source={database}");
    connection.Open();
    using var transaction = connection.BeginTransaction();
    using var lookup = connection.CreateCommand();
    lookup.CommandText = "SELECT json_extract(doc, '$.roi_id'), json_extract(doc, '$.specimen_id') FROM acquisitions WHERE id = $a";
    lookup.Parameters.AddWithValue("$a", acquisition);
    string roi, specimen;
    using (var reader = lookup.ExecuteReader())
    {
        reader.Read();
        (roi, specimen) = (reader.GetInt64(0).ToString(CultureInfo.InvariantCulture), reader.GetString(1));
    }
    using var insert = connection.CreateCommand();
    insert.CommandText = "INSERT INTO tiles (id, doc, row_version) VALUES ($id, $doc, 1)";
    var id = insert.Parameters.Add("$id", SqliteType.Text);
    var doc = insert.Parameters.Add("$doc", SqliteType.Text);
    const int Cols = 1000;
    var random = new Random(42);
    for (var i = 0; i < count; i++)
    {
        var (row, col) = (i / Cols, i % Cols);
        id.Value = $"{acquisition}-b{i:0000000}";
        doc.Value = string.Create(CultureInfo.InvariantCulture,
            $$"""{"tile_id":"{{id.Value}}","acquisition_id":"{{acquisition}}","roi_id":{{roi}},"specimen_id":"{{specimen}}","raster_index":{{i + 100_000}},"stage_position":{"x":{{col * 3600}},"y":{{row * 3600}}},"raster_position":{"row":{{row}},"col":{{col}}},"focus_score":{{0.5 + (random.NextDouble() / 2):F4}},"min_value":12,"max_value":231,"mean_value":{{100 + (random.NextDouble() * 50):F2}},"std_value":{{20 + (random.NextDouble() * 10):F2}},"image_path":"s3://bench/{{acquisition}}/{{i}}.tif","matcher":[{"row":{{row}},"col":{{col + 1}},"dX":0.97,"dY":0.73,"match_quality":0.93,"position":"right"}],"created_at":"2026-03-01T00:00:00.0000000Z","updated_at":"2026-03-01T00:00:00.0000000Z"}""");
        insert.ExecuteNonQuery();
    }
    transaction.Commit();
}

static long TileCount(string database, string acquisition)
{
    using var connection = new SqliteConnection($"Data Source={database}");
    connection.Open();
    using var command = connection.CreateCommand();
    command.CommandText = "SELECT COUNT(*) FROM tiles WHERE acquisition_id = $a";
    command.Parameters.AddWithValue("$a", acquisition);
    return (long)command.ExecuteScalar()!;
}

/// <summary>Wall seconds, peak RSS, and CPU seconds (user + system: on a shared machine, wall time includes waiting for a core).</summary>
internal sealed record Measure(double Seconds, double PeakMb, double CpuSeconds);
