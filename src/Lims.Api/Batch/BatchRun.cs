namespace Lims.Batch;

/// <summary>
/// What a batch remembers while it runs: where each Content-ID's entity is (for <c>$n</c> in later URLs), which
/// requests failed (for <c>dependsOn</c>), and whether it stopped at a failure (without <c>odata.continue-on-error</c>).
/// </summary>
public sealed class BatchRun(Uri serviceRoot, bool continueOnError)
{
    private readonly Dictionary<string, string> _locations = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);

    public bool Stopped { get; private set; }

    public bool HasFailed(string id) => _failed.Contains(id);

    public void Fail(string? contentId)
    {
        if (contentId is not null)
        {
            _failed.Add(contentId);
            _locations.Remove(contentId);
        }
    }

    public void Record(OperationResult result)
    {
        if (!result.Succeeded)
        {
            Fail(result.ContentId);
            Stopped |= !continueOnError;
        }
        else if (result is { ContentId: { } id, Location: { } location })
        {
            _locations[id] = location;
        }
    }

    /// <summary>The absolute URL a request names, with a leading <c>$n</c> replaced; null when it is not this service's.</summary>
    public Uri? Resolve(Uri url)
    {
        var root = serviceRoot.AbsoluteUri;
        var text = url.IsAbsoluteUri ? url.AbsoluteUri : url.OriginalString;
        var relative = text.StartsWith(root, StringComparison.OrdinalIgnoreCase) ? text[root.Length..]
            : url.IsAbsoluteUri ? null
            : text.StartsWith(serviceRoot.AbsolutePath, StringComparison.OrdinalIgnoreCase) ? text[serviceRoot.AbsolutePath.Length..]
            : text.TrimStart('/');
        if (relative is null)
        {
            return null;
        }
        if (relative.StartsWith('$'))
        {
            var end = relative.IndexOfAny(['/', '?']);
            var id = end < 0 ? relative[1..] : relative[1..end];
            if (_locations.TryGetValue(id, out var location))
            {
                return new Uri(location + (end < 0 ? "" : relative[end..]));
            }
        }
        return new Uri(serviceRoot, relative);
    }
}
