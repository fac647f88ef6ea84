using Lims.Settings;

namespace Lims.Api;

/// <summary>Host settings at the root of the configuration (read by ASP.NET Core itself; declared here to be documented and validated).</summary>
public sealed class ServerOptions
{
    public const int DefaultPort = 5080;

    [Setting("where the service listens: URLs separated by `;` (`http://0.0.0.0:5080` for every interface, as in a container); also `--urls`")]
    [ListenUrls]
    public string Urls { get; set; } = $"http://127.0.0.1:{DefaultPort}";

    [Setting("host names the service answers to, separated by `;` (`*` for any)")]
    public string AllowedHosts { get; set; } = "*";
}
