using Serilog;
using Serilog.Events;

namespace Lims.Api;

public static class Logging
{
    /// <summary>
    /// Serilog to the console. Levels come from <c>Serilog:MinimumLevel:Default</c> and
    /// <c>Serilog:MinimumLevel:Override:&lt;source&gt;</c>; a bad level name stops the start with a clear message.
    /// </summary>
    public static WebApplicationBuilder AddLimsLogging(this WebApplicationBuilder builder)
    {
        var levels = builder.Configuration.GetSection("Serilog:MinimumLevel");
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(Level(levels["Default"], LogEventLevel.Information, "Serilog:MinimumLevel:Default"))
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Quartz", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        foreach (var source in levels.GetSection("Override").GetChildren())
        {
            configuration.MinimumLevel.Override(source.Key, Level(source.Value, LogEventLevel.Information, source.Path));
        }
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(configuration.CreateLogger(), dispose: true);
        return builder;
    }

    private static LogEventLevel Level(string? text, LogEventLevel fallback, string setting) =>
        string.IsNullOrEmpty(text) ? fallback
        : Enum.TryParse<LogEventLevel>(text, ignoreCase: true, out var level) ? level
        : throw new InvalidOperationException($"{setting} must be one of {string.Join(", ", Enum.GetNames<LogEventLevel>())} (got '{text}').");
}
