using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Lims.Tests.Infrastructure;

public enum StoreKind { Sqlite, Postgres }

/// <summary>
/// The real service over the real HTTP pipeline, on a store of its own (a fresh SQLite file or a fresh
/// PostgreSQL database), without demo data unless asked. Settings override appsettings.
/// </summary>
public sealed class LimsApp(StoreKind kind, string connectionString, IReadOnlyDictionary<string, string?>? settings = null, FakeTimeProvider? clock = null)
    : WebApplicationFactory<Program>
{
    public StoreKind Kind { get; } = kind;
    public string ConnectionString { get; } = connectionString;
    public FakeTimeProvider? Clock { get; } = clock;

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
        // The plain form: .NET 10 passes settings as arguments that give parent keys an empty value, which
        // Serilog would read as an empty level under "MinimumLevel" when only "MinimumLevel:Default" is set.
        builder.UseSetting("Serilog:MinimumLevel", "Warning");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
        if (Clock is not null)
        {
            builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Kind == StoreKind.Sqlite)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource;
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            {
                File.Delete(path);
            }
        }
    }
}
