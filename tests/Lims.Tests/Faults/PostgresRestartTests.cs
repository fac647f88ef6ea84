using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.Faults;

/// <summary>
/// PostgreSQL is stopped and started again while four clients keep writing. Each client sends every create until it
/// is acknowledged (201, or 409 for a create whose earlier attempt was cut off after its commit). During the outage
/// the service answers 503 with Retry-After, never 500, and /health/ready says 503; it recovers by itself; afterwards
/// the store holds exactly the documents clients were told about, each once.
/// </summary>
public sealed class PostgresRestartTests
{
    private const int Writers = 4;
    private static readonly TimeSpan _upBefore = TimeSpan.FromSeconds(1.5), _down = TimeSpan.FromSeconds(2.5), _upAfter = TimeSpan.FromSeconds(1.5);

    [PostgresFact]
    public async Task Writes_during_a_restart_get_503_with_retry_after_and_every_acknowledged_write_survives()
    {
        using var server = await DedicatedPostgres.StartAsync();
        var connectionString = await server.CreateDatabaseAsync("lims_restart");
        using var app = new LimsApp(StoreKind.Postgres, connectionString);
        using var client = app.CreateClient();
        var prefix = $"RS{Guid.NewGuid():N}"[..12];

        var statuses = new ConcurrentBag<(HttpStatusCode Status, bool RetryAfter)>();
        var acknowledged = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var id = $"{prefix}-{w}-{n}";
                var cutOff = false;
                while (true)
                {
                    var reply = await client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = id });
                    statuses.Add((reply.Status, reply.Response.Headers.RetryAfter is not null));
                    if (reply.Status == HttpStatusCode.Created || (reply.Status == HttpStatusCode.Conflict && cutOff))
                    {
                        acknowledged.Add(id);
                        break;
                    }
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, reply.Status);
                    cutOff = true;
                    await Task.Delay(100);
                }
            }
        })).ToList();

        await Task.Delay(_upBefore);
        server.Stop();
        await Task.Delay(_down / 2);
        var readyWhileDown = (await client.GetAsync("/health/ready")).StatusCode;
        await Task.Delay(_down / 2);
        server.Start();
        await Task.Delay(_upAfter);
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyWhileDown);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Contains(statuses, s => s.Status == HttpStatusCode.ServiceUnavailable);
        Assert.All(statuses.Where(s => s.Status == HttpStatusCode.ServiceUnavailable), s => Assert.True(s.RetryAfter, "a 503 without Retry-After"));
        Assert.DoesNotContain(statuses, s => (int)s.Status >= 500 && s.Status != HttpStatusCode.ServiceUnavailable);

        var stored = await client.GetAllRowsAsync($"/odata/Specimens?$filter=startswith(specimen_id,'{prefix}-')&$select=specimen_id");
        Assert.Equal(acknowledged.Order(StringComparer.Ordinal), stored.Select(s => s["specimen_id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.True(acknowledged.Count > Writers, $"only {acknowledged.Count} writes were made");
    }
}
