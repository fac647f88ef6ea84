using System.Net;
using System.Text.Json.Nodes;
using Lims.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Lims.Tests.Workflow;

/// <summary>Jobs off: tests drive every write themselves, nothing moves behind their back.</summary>
public abstract class NoJobsFixture(StoreKind kind) : StoreFixture(kind)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Workflow:RunJobs"] = "false" };
}

public sealed class NoJobsSqlite() : NoJobsFixture(StoreKind.Sqlite);

public sealed class NoJobsPostgres() : NoJobsFixture(StoreKind.Postgres);

/// <summary>Jobs on, polling fast, so end-to-end tests finish in seconds; one retry of a failing job, one re-plan of a task.</summary>
public abstract class FastJobsFixture(StoreKind kind) : StoreFixture(kind)
{
    public static readonly IReadOnlyDictionary<string, string?> FastSettings = new Dictionary<string, string?>
    {
        ["Workflow:PollInterval"] = "00:00:00.200",
        ["Workflow:SweepInterval"] = "00:00:05",
        ["Workflow:SweepGrace"] = "00:00:10",
        ["Workflow:ReplanBackoffBase"] = "00:00:00.100",
        ["Workflow:JobRetryBase"] = "00:00:01",
        ["Workflow:JobRetryAttempts"] = "1",
        ["Workflow:MaxRetries"] = "1",
    };

    protected override IReadOnlyDictionary<string, string?> Settings => FastSettings;
}

public sealed class FastJobsSqlite() : FastJobsFixture(StoreKind.Sqlite);

public sealed class FastJobsPostgres() : FastJobsFixture(StoreKind.Postgres);

/// <summary>Jobs off and a fake clock: tests run the jobs themselves and move time forward.</summary>
public abstract class ClockFixture(StoreKind kind) : StoreFixture(kind)
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 5, 12, 0, 0, TimeSpan.Zero));

    protected override FakeTimeProvider? Clock => _clock;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Workflow:RunJobs"] = "false",
        ["Workflow:MaxRetries"] = "2",
        ["Workflow:ReplanBackoffBase"] = "00:10:00",
        ["Workflow:JobRetryBase"] = "00:00:30",
        ["Workflow:AcquisitionIdleTimeout"] = "00:30:00",
        ["Workflow:TaskIdleTimeout"] = "02:00:00",
        ["Workflow:SweepGrace"] = "00:01:00",
    };
}

public sealed class ClockSqlite() : ClockFixture(StoreKind.Sqlite);

public sealed class ClockPostgres() : ClockFixture(StoreKind.Postgres);

/// <summary>Small steps of the lifecycle over HTTP, shared by the workflow tests.</summary>
public static class Lifecycle
{
    public static async Task<JsonObject> GetAsync(HttpClient client, string entitySet, string key)
    {
        var reply = await HttpJson.GetJsonAsync(client, $"/odata/{entitySet}('{key}')");
        Assert.True(reply.Status == HttpStatusCode.OK, $"GET {entitySet}('{key}'): {reply}");
        return reply.Object;
    }

    public static async Task<string?> StatusAsync(HttpClient client, string entitySet, string key) =>
        (await GetAsync(client, entitySet, key))["status"]?.GetValue<string>();

    /// <summary>Polls (bounded) until a background job has moved the document to <paramref name="status"/>.</summary>
    public static async Task<JsonObject> WaitForStatusAsync(HttpClient client, string entitySet, string key, string status, long? version = null, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JsonObject document;
        do
        {
            document = await GetAsync(client, entitySet, key);
            if (document["status"]?.GetValue<string>() == status && (version is null || document["version"]?.GetValue<long>() == version))
            {
                return document;
            }
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"{entitySet}('{key}') stayed '{document["status"]}' instead of reaching '{status}' within {seconds} s: {document.ToJsonString()}");
        return document;
    }

    public static async Task PostTilesAsync(LabBuilder lab, string acquisitionId, int rows, int cols, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await lab.Create("Tiles", lab.Tile(i / cols, i % cols, cols, acquisitionId: acquisitionId));
        }
    }

    public static async Task<HttpJson.Reply> ActAsync(HttpClient client, string entitySet, string key, string action, string? reason = null) =>
        await client.PostJsonAsync($"/odata/{entitySet}('{key}')/Lims.{action}", reason is null ? null : new JsonObject { ["reason"] = reason });

    /// <summary>(from, to, cause) of every transition of a task or acquisition, oldest first.</summary>
    public static async Task<List<(string? From, string To, string Cause)>> HistoryAsync(HttpClient client, string eventSet, string field, string key)
    {
        var reply = await HttpJson.GetJsonAsync(client, $"/odata/{eventSet}?$filter={field} eq '{key}'&$orderby=event_id");
        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        return [.. reply.Value.Select(e => (e!["from_status"]?.GetValue<string>(), e["to_status"]!.GetValue<string>(), e["cause"]!.GetValue<string>()))];
    }
}
