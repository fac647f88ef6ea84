using Microsoft.OData;

namespace Lims.Batch;

/// <summary>The HTTP request of a <c>$batch</c> as ODataLib's message reader sees it.</summary>
public sealed class BatchRequestMessage(HttpRequest request, Uri url) : IODataRequestMessageAsync
{
    public IEnumerable<KeyValuePair<string, string>> Headers =>
        request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString()));

    public Uri Url { get; set; } = url;

    public string Method { get => request.Method; set => throw new NotSupportedException(); }

    public string? GetHeader(string headerName) => request.Headers.TryGetValue(headerName, out var value) ? value.ToString() : null;

    public void SetHeader(string headerName, string headerValue) => throw new NotSupportedException();

    public Stream GetStream() => request.Body;

    public Task<Stream> GetStreamAsync() => Task.FromResult(request.Body);
}

/// <summary>The response of a <c>$batch</c> as ODataLib's message writer sees it: headers and a buffer.</summary>
public sealed class BatchResponseMessage(Stream body) : IODataResponseMessageAsync
{
    private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<KeyValuePair<string, string>> Headers => _headers;

    public int StatusCode { get; set; } = 200;

    public string? GetHeader(string headerName) => _headers.TryGetValue(headerName, out var value) ? value : null;

    public void SetHeader(string headerName, string headerValue) => _headers[headerName] = headerValue;

    public Stream GetStream() => body;

    public Task<Stream> GetStreamAsync() => Task.FromResult(body);
}
