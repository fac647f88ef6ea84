using Npgsql;

namespace Lims.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server of one test's own, which the test may stop and start (the shared <see cref="PostgresServer"/>
/// serves every other test and must stay up). Removed on dispose, or by the watchdog if the test host dies.
/// </summary>
public sealed class DedicatedPostgres : IDisposable
{
    private readonly string _root;
    private readonly string _data;
    private readonly int _port;

    private DedicatedPostgres(string root, int port)
    {
        (_root, _data, _port) = (root, Path.Combine(root, "data"), port);
    }

    public string AdminConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres;Pooling=false";

    public static async Task<DedicatedPostgres> StartAsync()
    {
        var bin = PostgresServer.BinDir ?? throw new InvalidOperationException($"PostgreSQL is unavailable: {PostgresServer.UnavailableReason}");
        var root = Path.Combine(Path.GetTempPath(), $"lims-pg-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        if (Environment.IsPrivilegedProcess)
        {
            PostgresServer.Check(PostgresServer.Run("chown", asServerUser: false, $"{PostgresServer.OsUser}:", root), "chown");
        }
        var server = new DedicatedPostgres(root, PostgresServer.FreePort());
        PostgresServer.Check(PostgresServer.Run(Path.Combine(bin, "initdb"), asServerUser: true,
            "-D", server._data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"), "initdb");
        await File.AppendAllTextAsync(Path.Combine(server._data, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            port = {server._port}
            unix_socket_directories = '{root}'
            fsync = off
            max_connections = 100

            """);
        server.Start();
        PostgresServer.StartWatchdog(bin, root);
        return server;
    }

    /// <summary>Creates a database and returns its pooled connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true, Timeout = 3 }.ConnectionString;
    }

    /// <summary>Starts the server and waits until it accepts connections.</summary>
    public void Start() => PgCtl("start", "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "-s");

    /// <summary>Stops the server the way an operator restarting it does: open sessions are ended, in-flight transactions roll back.</summary>
    public void Stop() => PgCtl("stop", "-m", "fast", "-w", "-t", "60", "-s");

    private void PgCtl(params string[] args) =>
        PostgresServer.Check(PostgresServer.Run(Path.Combine(PostgresServer.BinDir!, "pg_ctl"), asServerUser: true, [args[0], "-D", _data, .. args[1..]]), $"pg_ctl {args[0]}");

    public void Dispose()
    {
        try
        {
            PostgresServer.Run(Path.Combine(PostgresServer.BinDir!, "pg_ctl"), asServerUser: true, "stop", "-D", _data, "-m", "immediate", "-w", "-t", "20", "-s");
            Directory.Delete(_root, recursive: true);
        }
        catch (Exception)
        {
            // Best effort: the watchdog and the next run's leftover sweep remove what is left.
        }
    }
}
