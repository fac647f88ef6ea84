using Lims.Auth;
using Serilog;
using Serilog.Events;

namespace Lims.Api;

public static class Logging
{
    /// <summary>
    /// Serilog to the console. Levels come from <c>Serilog:MinimumLevel:Default</c> (or Serilog's short form
    /// <c>Serilog:MinimumLevel</c>) and
    /// <c>Serilog:MinimumLevel:Override:&lt;source&gt;</c>. A bad level name falls back to the default here, so that
    /// the settings validation at start-up reports it in an operator's words. Sinks and enrichers registered as
    /// services (<c>ILogEventSink</c>, e.g. a test's) are added to the console.
    /// </summary>
    public static WebApplicationBuilder AddLimsLogging(this WebApplicationBuilder builder)
    {
        // The short form (Serilog:MinimumLevel=Warning, as tests and environment variables set it) wins over the
        // Default from appsettings.json; otherwise it could never lower the level appsettings sets.
        var levels = builder.Configuration.GetSection("Serilog:MinimumLevel");
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog((services, configuration) =>
        {
            configuration
                .MinimumLevel.Is(Level(levels.Value ?? levels["Default"], LogEventLevel.Information))
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Hangfire", LogEventLevel.Warning)
                // Every refused key would log "AuthenticationScheme: ApiKey was challenged." at Information; the
                // request's own line already says 401, with the correlation id.
                .MinimumLevel.Override(typeof(ApiKeyAuthenticationHandler).FullName!, LogEventLevel.Warning)
                .Enrich.FromLogContext()
                .ReadFrom.Services(services)
                .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
            foreach (var source in levels.GetSection("Override").GetChildren())
            {
                configuration.MinimumLevel.Override(source.Key, Level(source.Value, LogEventLevel.Information));
            }
        });
        return builder;
    }

    private static LogEventLevel Level(string? text, LogEventLevel fallback) =>
        Enum.TryParse<LogEventLevel>(text, ignoreCase: true, out var level) ? level : fallback;
}
