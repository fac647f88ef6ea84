using Lims.Settings;
using Serilog;
using Serilog.Events;

namespace Lims.Api;

public static class Logging
{
    /// <summary>Serilog to the console, levels from configuration section <c>Serilog</c>.</summary>
    public static WebApplicationBuilder AddLimsLogging(this WebApplicationBuilder builder)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Quartz", LogEventLevel.Warning);
        // Serilog throws on a level it does not know; start with the defaults instead, so that the settings
        // validation at start-up reports the bad value in an operator's words.
        if (LimsSettings.Sections.OfType<SettingsSection<LoggingOptions>>().All(s => s.Problems(builder.Configuration).Count == 0))
        {
            // Only keys with values: the test host passes its settings as arguments, giving every parent section an
            // empty value, which Serilog would read as a level ("Serilog:MinimumLevel=").
            var serilog = new ConfigurationBuilder()
                .AddInMemoryCollection(builder.Configuration.GetSection("Serilog").AsEnumerable().Where(e => !string.IsNullOrEmpty(e.Value)))
                .Build();
            configuration = configuration.ReadFrom.Configuration(serilog);
        }
        var logger = configuration
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
        return builder;
    }
}
