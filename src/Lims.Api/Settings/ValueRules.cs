using System.ComponentModel.DataAnnotations;

namespace Lims.Settings;

/// <summary>One or more absolute http(s) URLs separated by ';', as Kestrel's <c>Urls</c> takes them (<c>*</c> and <c>+</c> mean every interface).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListenUrlsAttribute() : ValidationAttribute("{0} must be one or more http:// or https:// URLs separated by ';'")
{
    public override bool IsValid(object? value) =>
        value is not string text || (text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } urls && urls.All(IsListenUrl));

    private static bool IsListenUrl(string url)
    {
        var normalised = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        return Uri.TryCreate(normalised, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
    }
}

/// <summary>When set, the path must name an existing directory.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ExistingDirectoryAttribute() : ValidationAttribute("{0} must name an existing directory")
{
    public override bool IsValid(object? value) => value is not string { Length: > 0 } path || Directory.Exists(path);
}
