using System.ComponentModel.DataAnnotations;
using Lims.Settings;

namespace Lims.Auth;

/// <summary>Configuration section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    /// <summary>When set, this value is an admin key (named <c>bootstrap-admin</c>) from start-up on, for automation.</summary>
    [Setting("makes this value an admin key (`bootstrap-admin`) at start-up, for automation", Default = "(none)", Secret = SecretKind.Whole)]
    public string? BootstrapAdminKey { get; set; }

    /// <summary>How long a looked-up key is remembered; a revoke on this node takes effect at once, on other nodes within this time.</summary>
    [Setting("how long a looked-up key is remembered; revokes reach other nodes within this time")]
    [Range(0, 3600)]
    public int KeyCacheSeconds { get; set; } = 10;

    /// <summary>Where the embedded default writes the admin key it creates on first start; default: next to the SQLite database.</summary>
    [Setting("where the embedded default writes the admin key it creates on first start", Default = "`admin-key.txt` next to the SQLite database")]
    public string? FirstKeyFile { get; set; }

    /// <summary>
    /// Paths served without a key, for GET and HEAD only: exact paths, or prefixes ending in <c>*</c>.
    /// Everything else needs a key.
    /// </summary>
    [Setting("extra paths served without a key (GET/HEAD; a trailing `*` matches a prefix), added to the built-in open paths", Default = "health, `$metadata`, Swagger, web pages")]
    public List<string> OpenPaths { get; set; } =
        ["/", "/index.html", "/favicon.ico", "/health", "/health/*", "/odata/$metadata", "/swagger", "/swagger/*", "/app", "/app/*"];
}
