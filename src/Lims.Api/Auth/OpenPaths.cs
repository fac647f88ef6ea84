namespace Lims.Auth;

/// <summary>
/// The paths anyone may GET without a key (health, $metadata, Swagger, the web pages), from <see cref="AuthOptions.OpenPaths"/>.
/// Only safe methods are open, so no write can ever slip through an open path.
/// </summary>
public sealed class OpenPaths(IEnumerable<string> patterns)
{
    private readonly string[] _exact = [.. patterns.Where(p => !p.EndsWith('*'))];
    private readonly string[] _prefixes = [.. patterns.Where(p => p.EndsWith('*')).Select(p => p[..^1])];

    public bool IsOpen(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && IsOpen(request.Path.Value ?? "/");

    public bool IsOpen(string path)
    {
        // Routing matches paths without regard to case, so the open list must as well.
        if (path.Contains("/..", StringComparison.Ordinal) || path.Contains("/./", StringComparison.Ordinal))
        {
            return false;
        }
        return _exact.Contains(path, StringComparer.OrdinalIgnoreCase) ||
               _prefixes.Any(prefix => path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
    }
}
