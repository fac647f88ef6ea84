using Lims.Api;
using Microsoft.AspNetCore.Http.Features;

namespace Lims.Batch;

/// <summary>
/// Runs one operation of a batch as a request of its own through the same dispatcher as single requests, so it
/// passes the same parsing, access policy, validation and limits, under the batch's key. Failures become the
/// operation's OData error response, as they would on their own.
/// </summary>
public sealed class OperationRunner(ODataDispatcher dispatcher, ILogger<OperationRunner> logger)
{
    public async Task<OperationResult> RunAsync(HttpContext batch, BatchOperation operation, Uri url)
    {
        var responseBody = new MemoryStream();
        var request = new HttpRequestFeature
        {
            Method = operation.Method,
            Scheme = batch.Request.Scheme,
            PathBase = batch.Request.PathBase,
            Path = Uri.UnescapeDataString(url.AbsolutePath),
            QueryString = url.Query,
            RawTarget = url.PathAndQuery,
            Protocol = batch.Request.Protocol,
            Body = new MemoryStream(operation.Body, writable: false),
        };
        foreach (var (name, value) in operation.Headers)
        {
            request.Headers.Append(name, value);
        }
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(request);
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(responseBody));
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = batch.RequestAborted });
        var http = new DefaultHttpContext(features) { RequestServices = batch.RequestServices, User = batch.User, TraceIdentifier = batch.TraceIdentifier };
        http.Request.Host = batch.Request.Host;
        http.Items[Lims.OData.ODataRequest.BatchOperationItem] = true;
        try
        {
            await dispatcher.HandleAsync(http);
        }
        catch (Exception exception) when (!batch.RequestAborted.IsCancellationRequested)
        {
            var (status, code, message, details) = ErrorHandling.Describe(exception);
            if (status >= 500 && status != 501)
            {
                logger.LogError(exception, "Batch operation {Method} {Url} failed", operation.Method, url);
            }
            responseBody.SetLength(0);
            http.Response.Headers.Clear();
            await ODataErrorWriter.WriteAsync(http.Response, status, code, message, details);
        }
        var headers = http.Response.Headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString())).ToList();
        return new OperationResult(operation.ContentId, http.Response.StatusCode, headers, responseBody.ToArray());
    }
}

/// <summary>One request read from a batch, its body already read (the batch reader moves on).</summary>
public sealed record BatchOperation(
    string? ContentId, string Method, Uri Url, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, IReadOnlyList<string> DependsOn, string? GroupId);
