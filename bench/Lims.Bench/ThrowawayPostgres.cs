using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Lims.Bench;

/// <summary>A PostgreSQL server in a temp directory for one benchmark run (initdb + pg_ctl), removed at the end.</summary>
public sealed class ThrowawayPostgres : IDisposable
{
    private readonly string _bin;
    private readonly string _root;

    public string ConnectionString { get; }

    private ThrowawayPostgres(string bin, string root, int port)
    {
        _bin = bin;
        _root = root;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50";
    }

    public static ThrowawayPostgres Start()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            ?? throw new InvalidOperationException("No PostgreSQL server binaries under /usr/lib/postgresql; pass --connection instead.");
        var root = Path.Combine(Path.GetTempPath(), $"lims-bench-pg-{Environment.ProcessId}");
        Directory.CreateDirectory(root);
        if (Environment.IsPrivilegedProcess)
        {
            Run("chown", false, "postgres:", root);
        }
        var data = Path.Combine(root, "data");
        Run(Path.Combine(bin, "initdb"), true, "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync");
        var port = FreePort();
        File.AppendAllText(Path.Combine(data, "postgresql.conf"),
            $"\nlisten_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{root}'\nfsync = off\nsynchronous_commit = off\n" +
            "full_page_writes = off\nshared_buffers = 256MB\nmax_connections = 100\nmax_wal_size = 4GB\n");
        Run(Path.Combine(bin, "pg_ctl"), true, "start", "-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "-s");
        return new ThrowawayPostgres(bin, root, port);
    }

    public void Dispose()
    {
        Run(Path.Combine(_bin, "pg_ctl"), true, "stop", "-D", Path.Combine(_root, "data"), "-m", "immediate", "-s");
        Directory.Delete(_root, recursive: true);
    }

    private static void Run(string file, bool asServerUser, params string[] args)
    {
        var switchUser = asServerUser && Environment.IsPrivilegedProcess;
        var info = new ProcessStartInfo(switchUser ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var arg in switchUser ? ["-u", "postgres", "--", file, .. args] : args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {output}{error.Result}");
        }
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
