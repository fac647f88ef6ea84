using Hangfire.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Lims.Jobs;

/// <summary>
/// Hangfire's log provider is process-wide, and its classes keep the logger they got first in static fields. Hangfire's
/// own ASP.NET Core provider binds those to one host's logger factory, which breaks every later host in the process (the
/// tests run many) once that host is disposed. This bridge looks up the latest host's factory on each message instead,
/// and drops messages that arrive after it was disposed.
/// </summary>
public sealed class HangfireLogBridge : ILogProvider
{
    public static HangfireLogBridge Instance { get; } = new();

    private static volatile ILoggerFactory? _factory;

    private HangfireLogBridge()
    {
    }

    public static void Use(ILoggerFactory factory) => _factory = factory;

    public ILog GetLogger(string name) => new HostLog(name);

    private sealed class HostLog(string name) : ILog
    {
        public bool Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                if (_factory?.CreateLogger(name) is not { } logger || !logger.IsEnabled(Map(logLevel)))
                {
                    return false;
                }
                if (messageFunc is not null)
                {
                    logger.Log(Map(logLevel), exception, "{Message}", messageFunc());
                }
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }

        private static LogLevel Map(HangfireLevel level) => level switch
        {
            HangfireLevel.Trace => LogLevel.Trace,
            HangfireLevel.Debug => LogLevel.Debug,
            HangfireLevel.Info => LogLevel.Information,
            HangfireLevel.Warn => LogLevel.Warning,
            HangfireLevel.Error => LogLevel.Error,
            _ => LogLevel.Critical,
        };
    }
}
