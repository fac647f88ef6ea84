using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Lims.Tests.Infrastructure;

public enum StoreKind { Sqlite, Postgres }

/// <summary>
/// The real service over the real HTTP pipeline, on a store of its own (a fresh SQLite file or a fresh
/// PostgreSQL database), without demo data unless asked. Settings override appsettings. Every app has the admin
/// key <see cref="AdminKey"/>, which <see cref="WebApplicationFactory{T}.CreateClient()"/> clients send by default;
/// rate limiting is off unless a test turns it on.
/// </summary>
public sealed class LimsApp(StoreKind kind, string connectionString, IReadOnlyDictionary<string, string?>? settings = null, FakeTimeProvider? clock = null)
    : WebApplicationFactory<Program>
{
    public StoreKind Kind { get; } = kind;
    public string ConnectionString { get; } = connectionString;
    public FakeTimeProvider? Clock { get; } = clock;

    /// <summary>Whether disposing deletes the SQLite file; tests that restart the service on the same store turn it off.</summary>
    public bool DeleteStoreOnDispose { get; init; } = true;

    /// <summary>The bootstrap admin key of every test app (Auth:BootstrapAdminKey).</summary>
    public const string AdminKey = "lims-test-admin-key-7f3c2a9e0b5d4e6f8a1c3b5d7e9f0a2c";

    public static async Task<LimsApp> StartAsync(StoreKind kind, IReadOnlyDictionary<string, string?>? settings = null, FakeTimeProvider? clock = null)
    {
        var connectionString = kind switch
        {
            StoreKind.Sqlite => $"Data Source={Path.Combine(Path.GetTempPath(), $"lims-test-{Guid.NewGuid():N}.db")}",
            _ => await PostgresServer.CreateDatabaseAsync("lims"),
        };
        var app = new LimsApp(kind, connectionString, settings, clock);
        _ = app.Server; // start now, so migrations run before the first test
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:Provider", Kind.ToString());
        builder.UseSetting("Storage:ConnectionString", ConnectionString);
        builder.UseSetting("Storage:SeedWhenEmpty", "false");
        // "Serilog:MinimumLevel:Default" set this way reaches Serilog as an empty MinimumLevel and fails the start; the short form works.
        builder.UseSetting("Serilog:MinimumLevel", "Warning");
        builder.UseSetting("Auth:BootstrapAdminKey", AdminKey);
        builder.UseSetting("RateLimit:Enabled", "false");
        // Every test host is a Hangfire server, and each worker holds a database connection while it waits for a job:
        // ten per host, times the hosts that run in parallel, exhausted the throwaway PostgreSQL's connections.
        builder.UseSetting("Workflow:WorkerCount", "2");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
        if (Clock is not null)
        {
            builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
        }
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
    }

    /// <summary>A client that sends no key.</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Remove("X-Api-Key");
        return client;
    }

    /// <summary>A client that sends <paramref name="key"/> instead of the admin key.</summary>
    public HttpClient CreateClientWithKey(string key)
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>Creates a key with <paramref name="role"/> through the API (as admin) and returns a client sending it.</summary>
    public async Task<HttpClient> CreateClientForRoleAsync(string role, string? name = null)
    {
        using var admin = CreateClient();
        var body = new System.Text.Json.Nodes.JsonObject { ["name"] = name ?? $"{role}-{Guid.NewGuid():N}", ["role"] = role };
        var reply = await admin.PostJsonAsync("/odata/ApiKeys", body);
        if (reply.Status != System.Net.HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Could not create a {role} key: {reply}");
        }
        return CreateClientWithKey(reply.Object["key"]!.GetValue<string>());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Kind == StoreKind.Sqlite && DeleteStoreOnDispose)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            // The store's file and Hangfire's beside it.
            foreach (var file in new[] { new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource, Lims.Jobs.JobStorageFactory.SqlitePath(ConnectionString) })
            {
                foreach (var path in new[] { file, file + "-wal", file + "-shm" })
                {
                    File.Delete(path);
                }
            }
        }
    }
}
