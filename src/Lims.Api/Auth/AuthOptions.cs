namespace Lims.Auth;

/// <summary>Configuration section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    /// <summary>When set, this value is an admin key (named <c>bootstrap-admin</c>) from start-up on, for automation.</summary>
    public string? BootstrapAdminKey { get; set; }

    /// <summary>How long a looked-up key is remembered; a revoke on this node takes effect at once, on other nodes within this time.</summary>
    public int KeyCacheSeconds { get; set; } = 10;

    /// <summary>Where the embedded default writes the admin key it creates on first start; default: next to the SQLite database.</summary>
    public string? FirstKeyFile { get; set; }

    /// <summary>
    /// Paths served without a key, for GET and HEAD only: exact paths, or prefixes ending in <c>*</c>.
    /// Everything else needs a key.
    /// </summary>
    public List<string> OpenPaths { get; set; } =
        ["/", "/index.html", "/favicon.ico", "/health", "/health/*", "/odata/$metadata", "/swagger", "/swagger/*", "/app", "/app/*"];
}
