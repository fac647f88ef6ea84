using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Lims.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server for the whole test run, started on first use and removed at process exit
/// (what Mongo2Go does for MongoDB). Each test class takes its own database from <see cref="CreateDatabaseAsync"/>.
/// </summary>
public static class PostgresServer
{
    /// <summary>Admin connection string of an existing server to use instead of starting one.</summary>
    public const string OverrideVariable = "LIMS_TEST_POSTGRES";

    /// <summary>Directory with initdb, pg_ctl and postgres; a wrong one simulates a machine without PostgreSQL.</summary>
    public const string BinDirVariable = "LIMS_TEST_POSTGRES_BIN";

    // The owning process id is part of the name, so a later run can tell what a killed run left behind.
    private const string DirPrefix = "lims-pg-";
    internal const string OsUser = "postgres";

    private static readonly string[] _tools = ["initdb", "pg_ctl", "postgres"];
    private static readonly string? _override = Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 } s ? s : null;
    internal static readonly string? BinDir = FindBinDir();
    private static readonly string? _unavailableReason = FindUnavailableReason();
    private static readonly Lazy<Task<string>> _admin = new(() => Task.Run(Start));

    /// <summary>True when PostgreSQL can be used: server binaries found, or <see cref="OverrideVariable"/> set.</summary>
    public static bool IsAvailable => _unavailableReason is null;

    /// <summary>Why PostgreSQL cannot be used, or null when it can.</summary>
    public static string? UnavailableReason => _unavailableReason;

    /// <summary>CI must not pass by skipping, so there the tests run and fail instead.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The skip reason for tests needing PostgreSQL: null when available or on CI.</summary>
    public static string? SkipReason => IsAvailable || IsCi ? null : $"PostgreSQL unavailable: {_unavailableReason}";

    /// <summary>Creates a fresh, uniquely named database and returns its (pooled) connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var admin = await _admin.Value;
        // Letters, digits and '_' only, so the quoted name is safe; 30 + 1 + 32 stays under the 63-byte limit.
        var clean = new string([.. prefix.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_').Take(30)]);
        var name = $"{clean}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
    }

    private static string Start()
    {
        if (_override is not null)
        {
            // Databases made there are left behind: the test host gets no time to drop them at exit,
            // and their unique names harm no later run.
            return _override;
        }
        if (BinDir is null || _unavailableReason is not null)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is needed but unavailable: {_unavailableReason}. Install Debian's postgresql package "
                + $"(bash scripts/test.sh does) or set {OverrideVariable} to an admin connection string.");
        }

        RemoveLeftovers(BinDir);
        var root = Path.Combine(Path.GetTempPath(), $"{DirPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Remove(BinDir, root);
        if (Environment.IsPrivilegedProcess)
        {
            // initdb refuses to run as root, so the server runs as the postgres user and owns the directory.
            Check(Run("chown", asServerUser: false, $"{OsUser}:", root), "chown");
        }

        var data = Path.Combine(root, "data");
        Check(Run(Path.Combine(BinDir, "initdb"), asServerUser: true,
            "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"), "initdb");
        File.WriteAllText(Path.Combine(data, "pg_hba.conf"), "local all all trust\nhost all all 127.0.0.1/32 trust\n");

        // Another process may take the free port between our probe and the server's bind: retry with a new one.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            // Appended settings override earlier ones; durability is pointless for a throwaway server.
            File.AppendAllText(Path.Combine(data, "postgresql.conf"), $"""

                listen_addresses = '127.0.0.1'
                port = {port}
                unix_socket_directories = '{root}'
                fsync = off
                synchronous_commit = off
                full_page_writes = off
                max_connections = 500
                shared_buffers = 128MB

                """);
            // -w waits until the server accepts connections.
            var (code, output) = Run(Path.Combine(BinDir, "pg_ctl"), asServerUser: true,
                "start", "-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "-s");
            if (code == 0)
            {
                StartWatchdog(BinDir, root);
                return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true";
            }
            if (attempt == 3)
            {
                var log = File.Exists(Path.Combine(root, "server.log")) ? File.ReadAllText(Path.Combine(root, "server.log")) : "";
                throw new InvalidOperationException($"PostgreSQL did not start: {output}\n{log}");
            }
        }
    }

    private static string? FindBinDir()
    {
        static bool HasTools(string dir) => _tools.All(t => File.Exists(Path.Combine(dir, t)));
        if (Environment.GetEnvironmentVariable(BinDirVariable) is { Length: > 0 } forced)
        {
            return HasTools(forced) ? forced : null;
        }
        const string Base = "/usr/lib/postgresql";
        if (!Directory.Exists(Base))
        {
            return null;
        }
        return Directory.GetDirectories(Base)
            .Select(v => (Version: double.TryParse(Path.GetFileName(v), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : -1, Bin: Path.Combine(v, "bin")))
            .Where(v => HasTools(v.Bin))
            .OrderByDescending(v => v.Version)
            .Select(v => v.Bin)
            .FirstOrDefault();
    }

    private static string? FindUnavailableReason()
    {
        if (_override is not null)
        {
            return null;
        }
        if (BinDir is null)
        {
            return $"no PostgreSQL server binaries (initdb, pg_ctl, postgres) in {Environment.GetEnvironmentVariable(BinDirVariable) ?? "/usr/lib/postgresql/*/bin"}";
        }
        if (Environment.IsPrivilegedProcess && !File.ReadLines("/etc/passwd").Any(l => l.StartsWith($"{OsUser}:", StringComparison.Ordinal)))
        {
            return $"running as root but there is no '{OsUser}' user to run the server as";
        }
        return null;
    }

    /// <summary>A free TCP port on 127.0.0.1 (the test servers and service processes bind one).</summary>
    internal static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    // Servers and directories of runs whose ProcessExit handler and watchdog never finished (killed, rebooted).
    private static void RemoveLeftovers(string binDir)
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), $"{DirPrefix}*"))
        {
            var pid = Path.GetFileName(dir)[DirPrefix.Length..].Split('-')[0];
            if (int.TryParse(pid, CultureInfo.InvariantCulture, out _) && !Directory.Exists($"/proc/{pid}"))
            {
                Remove(binDir, dir);
            }
        }
    }

    private static void Remove(string binDir, string root)
    {
        try
        {
            var data = Path.Combine(root, "data");
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
            {
                Run(Path.Combine(binDir, "pg_ctl"), asServerUser: true, "stop", "-D", data, "-m", "immediate", "-w", "-t", "20", "-s");
            }
            Directory.Delete(root, recursive: true);
        }
        catch (Exception)
        {
            // Best effort at exit: a leftover is cleaned by the next run.
        }
    }

    // vstest kills the test host about 100 ms after the run, often before ProcessExit handlers finish, and a crash
    // skips them: a detached shell stops the server and deletes the directory once this process is gone.
    internal static void StartWatchdog(string binDir, string root)
    {
        var runAs = Environment.IsPrivilegedProcess ? $"runuser -u {OsUser} -- " : "";
        var script = "exec </dev/null >/dev/null 2>&1; while kill -0 \"$1\"; do sleep 0.2; done; "
            + $"{runAs}\"$2\" stop -D \"$3/data\" -m immediate -w -s; rm -rf \"$3\"";
        var info = new ProcessStartInfo("setsid") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["sh", "-c", script, "lims-pg-watchdog", $"{Environment.ProcessId}", Path.Combine(binDir, "pg_ctl"), root])
        {
            info.ArgumentList.Add(arg);
        }
        using var watchdog = Process.Start(info);
    }

    internal static void Check((int Code, string Output) result, string what)
    {
        if (result.Code != 0)
        {
            throw new InvalidOperationException($"{what} failed ({result.Code}): {result.Output}");
        }
    }

    internal static (int Code, string Output) Run(string file, bool asServerUser, params string[] args)
    {
        var switchUser = asServerUser && Environment.IsPrivilegedProcess;
        var info = new ProcessStartInfo(switchUser ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The server user may not be allowed into the caller's working directory.
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in switchUser ? ["-u", OsUser, "--", file, .. args] : args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.GetAwaiter().GetResult());
    }
}
