using System.Net;
using System.Text;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.Ingest;

/// <summary>
/// The service process is killed (SIGKILL) while it streams a large request into its transaction; after a restart
/// the batch is absent (never partly stored), and sending it again stores it whole.
/// </summary>
public abstract class IngestCrashTests(StoreKind kind)
{
    private const int Rows = 100, Cols = 100, KillAfter = 4_000;

    [Fact]
    public async Task Killed_in_the_middle_of_a_large_request_leaves_the_batch_absent_and_a_retry_completes_it()
    {
        var connectionString = kind == StoreKind.Sqlite
            ? $"Data Source={Path.Combine(Path.GetTempPath(), $"lims-crash-{Guid.NewGuid():N}.db")}"
            : await PostgresServer.CreateDatabaseAsync("crash");
        var service = await LimsProcess.StartAsync(kind, connectionString);
        LabBuilder lab;
        try
        {
            lab = await new LabBuilder(service.Client).WithAcquisitionAsync(Rows, Cols);
            var content = new SlowTiles(lab, KillAfter, service.Kill);
            await Assert.ThrowsAnyAsync<Exception>(() => service.Client.PostAsync($"/odata/Acquisitions('{lab.AcquisitionId}')/tiles", content));
            Assert.True(content.KilledMidway, "the service was killed before the body was complete");
        }
        finally
        {
            service.Dispose();
        }

        using var restarted = await LimsProcess.StartAsync(kind, connectionString);
        Assert.Equal("0", (await HttpJson.GetJsonAsync(restarted.Client, $"/odata/Tiles/$count?$filter=acquisition_id eq '{lab.AcquisitionId}'")).Body!.GetValue<string>());

        var retry = await restarted.Client.PostAsync($"/odata/Acquisitions('{lab.AcquisitionId}')/tiles", new SlowTiles(lab, int.MaxValue, () => { }));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal($"{Rows * Cols}", (await HttpJson.GetJsonAsync(restarted.Client, $"/odata/Tiles/$count?$filter=acquisition_id eq '{lab.AcquisitionId}'")).Body!.GetValue<string>());
    }

    /// <summary>An NDJSON body of Rows × Cols tiles, written as it goes; the kill happens after <c>killAfter</c> lines.</summary>
    private sealed class SlowTiles : HttpContent
    {
        private readonly LabBuilder _lab;
        private readonly int _killAfter;
        private readonly Action _kill;

        public SlowTiles(LabBuilder lab, int killAfter, Action kill)
        {
            (_lab, _killAfter, _kill) = (lab, killAfter, kill);
            Headers.ContentType = new("application/x-ndjson");
        }

        public bool KilledMidway { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var i = 0; i < Rows * Cols; i++)
            {
                var tile = _lab.Tile(i / Cols, i % Cols, Cols);
                tile["mean_value"] = 120.5; // LabBuilder's mean grows with row + col and would pass max_value on a raster this large
                await stream.WriteAsync(Encoding.UTF8.GetBytes(tile.ToJsonString() + "\n"));
                if (i + 1 == _killAfter)
                {
                    await stream.FlushAsync();
                    // Let the service read and write what it has so far, so the kill lands inside its transaction.
                    await Task.Delay(500);
                    KilledMidway = true;
                    _kill();
                }
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}

public sealed class IngestCrashSqliteTests() : IngestCrashTests(StoreKind.Sqlite);

public sealed class IngestCrashPostgresTests() : IngestCrashTests(StoreKind.Postgres);
