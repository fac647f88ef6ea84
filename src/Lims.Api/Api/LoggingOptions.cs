using Lims.Settings;
using Serilog.Events;

namespace Lims.Api;

/// <summary>Log levels, section <c>Serilog:MinimumLevel</c> (read by Serilog itself; declared here to be documented and validated).</summary>
public sealed class LoggingOptions
{
    [Setting("log level: `Verbose`, `Debug`, `Information`, `Warning`, `Error` or `Fatal`")]
    public LogEventLevel Default { get; set; } = LogEventLevel.Information;

    [Setting("log level for one source, e.g. `Serilog:MinimumLevel:Override:Lims.Storage`", Default = "`Warning` for `Microsoft.AspNetCore`, `Hangfire` and `Lims.Auth.ApiKeyAuthenticationHandler`")]
    public Dictionary<string, LogEventLevel> Override { get; } = [];
}
