using Microsoft.Extensions.Time.Testing;

namespace Lims.Tests.Infrastructure;

/// <summary>
/// One app per test class and store. A test class that must pass on both stores is abstract, takes a
/// <see cref="StoreFixture"/>, and has two one-line subclasses: one with <see cref="SqliteStore"/>, one with <see cref="PostgresStore"/>.
/// </summary>
public abstract class StoreFixture(StoreKind kind) : IAsyncLifetime
{
    private LimsApp? _app;

    public StoreKind Kind { get; } = kind;

    public LimsApp App => _app ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>A client sending the admin key.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>Settings the app starts with; override in a derived fixture to configure limits or timings.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>A fake clock the app runs on instead of the system clock; override (returning one instance) for time-based logic.</summary>
    protected virtual FakeTimeProvider? Clock => null;

    public async Task InitializeAsync()
    {
        _app = await LimsApp.StartAsync(Kind, Settings, Clock);
        Client = _app.CreateClient();
    }

    /// <summary>A client with a new key of <paramref name="role"/> (viewer, instrument, technician, admin).</summary>
    public Task<HttpClient> ClientForRoleAsync(string role) => App.CreateClientForRoleAsync(role);

    public Task DisposeAsync()
    {
        Client.Dispose();
        _app?.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class SqliteStore() : StoreFixture(StoreKind.Sqlite);

public sealed class PostgresStore() : StoreFixture(StoreKind.Postgres);
