using Serilog;
using Serilog.Events;

namespace Lims.Api;

public static class Logging
{
    /// <summary>
    /// Serilog to the console. Levels come from <c>Serilog:MinimumLevel:Default</c> (or Serilog's short form
    /// <c>Serilog:MinimumLevel</c>) and
    /// <c>Serilog:MinimumLevel:Override:&lt;source&gt;</c>. A bad level name falls back to the default here, so that
    /// the settings validation at start-up reports it in an operator's words.
    /// </summary>
    public static WebApplicationBuilder AddLimsLogging(this WebApplicationBuilder builder)
    {
        var levels = builder.Configuration.GetSection("Serilog:MinimumLevel");
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(Level(levels["Default"] ?? levels.Value, LogEventLevel.Information))
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Hangfire", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        foreach (var source in levels.GetSection("Override").GetChildren())
        {
            configuration.MinimumLevel.Override(source.Key, Level(source.Value, LogEventLevel.Information));
        }
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(configuration.CreateLogger(), dispose: true);
        return builder;
    }

    private static LogEventLevel Level(string? text, LogEventLevel fallback) =>
        Enum.TryParse<LogEventLevel>(text, ignoreCase: true, out var level) ? level : fallback;
}
