using Lims.Errors;
using Lims.OData;
using Lims.OData.Protocol;
using Lims.Storage;
using Microsoft.Extensions.Options;
using Microsoft.OData;
using Microsoft.OData.Edm;

namespace Lims.Batch;

/// <summary>
/// <c>POST /odata/$batch</c>, multipart/mixed (OData 4.0) and JSON (4.01), read and written by ODataLib's own
/// batch reader and writer. Requests run in order; a change set (atomicity group) runs in one store transaction
/// and commits only if every request in it succeeds. <c>$n</c> at the start of a URL stands for the entity
/// created by the request with Content-ID n; a request whose <c>dependsOn</c> failed answers 424.
/// </summary>
public sealed class BatchHandler(OperationRunner runner, DocumentStore store, IEdmModel model, IOptions<ODataLimits> limits)
{
    public async Task HandleAsync(HttpContext http)
    {
        var contentType = http.Request.ContentType ?? "";
        var json = contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
        if (!json && !contentType.StartsWith("multipart/mixed", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(415, "UnsupportedMediaType", "Send a batch as multipart/mixed (with a boundary) or as application/json.");
        }
        var serviceRoot = ODataUriFactory.ServiceRoot(http.Request);
        var maxOperations = limits.Value.MaxBatchOperations;
        var readerSettings = new ODataMessageReaderSettings
        {
            BaseUri = serviceRoot,
            MaxProtocolVersion = ODataVersion.V401,
            MessageQuotas = { MaxPartsPerBatch = maxOperations, MaxOperationsPerChangeset = maxOperations },
        };
        // The answer is built in memory, so that a batch found malformed or too large halfway still answers one clean 400.
        using var buffer = new MemoryStream();
        var responseMessage = new BatchResponseMessage(buffer);
        var responseType = json ? "application/json" : $"multipart/mixed; boundary=batchresponse_{Guid.NewGuid():N}";
        responseMessage.SetHeader("Content-Type", responseType);
        var writerSettings = new ODataMessageWriterSettings { BaseUri = serviceRoot, Version = json ? ODataVersion.V401 : ODataVersion.V4 };

        using (var messageReader = new ODataMessageReader((IODataRequestMessageAsync)new BatchRequestMessage(http.Request, new Uri(serviceRoot, "$batch")), readerSettings, model))
        using (var messageWriter = new ODataMessageWriter((IODataResponseMessageAsync)responseMessage, writerSettings, model))
        {
            var reader = await messageReader.CreateODataBatchReaderAsync();
            var writer = await messageWriter.CreateODataBatchWriterAsync();
            var run = new BatchRun(serviceRoot, Preferences.Of(http.Request).ContinueOnError);
            await writer.WriteStartBatchAsync();
            List<BatchOperation>? changeset = null;
            var operations = 0;
            while (await reader.ReadAsync())
            {
                switch (reader.State)
                {
                    case ODataBatchReaderState.ChangesetStart:
                        changeset = [];
                        break;
                    case ODataBatchReaderState.Operation:
                        if (++operations > maxOperations)
                        {
                            throw ApiException.BadRequest($"The batch holds more than {maxOperations} requests (OData:MaxBatchOperations).");
                        }
                        var operation = await ReadOperationAsync(reader);
                        if (changeset is not null)
                        {
                            changeset.Add(operation);
                        }
                        else if (!run.Stopped)
                        {
                            await WriteAsync(writer, await RunAsync(http, run, operation));
                        }
                        break;
                    case ODataBatchReaderState.ChangesetEnd:
                        if (!run.Stopped)
                        {
                            await RunChangesetAsync(http, run, writer, changeset ?? []);
                        }
                        changeset = null;
                        break;
                }
            }
            await writer.WriteEndBatchAsync();
            await writer.FlushAsync();
        }
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = responseType;
        http.Response.Headers[ODataProtocol.VersionHeader] = json ? "4.01" : ODataProtocol.Version;
        // ToArray, because disposing the message writer closed the buffer.
        await http.Response.Body.WriteAsync(buffer.ToArray(), http.RequestAborted);
    }

    private static async Task<BatchOperation> ReadOperationAsync(ODataBatchReader reader)
    {
        var message = await reader.CreateOperationRequestMessageAsync();
        using var body = new MemoryStream();
        await using (var stream = await message.GetStreamAsync())
        {
            await stream.CopyToAsync(body);
        }
        return new BatchOperation(message.ContentId, message.Method, message.Url, [.. message.Headers], body.ToArray(), [.. message.DependsOnIds ?? []], message.GroupId);
    }

    /// <summary>Runs the requests of a change set in one transaction: all are answered, or only the first failure.</summary>
    private async Task RunChangesetAsync(HttpContext http, BatchRun run, ODataBatchWriter writer, IReadOnlyList<BatchOperation> changeset)
    {
        var results = new List<OperationResult>();
        var committed = await store.InOneTransactionAsync(async () =>
        {
            foreach (var operation in changeset)
            {
                var result = await RunAsync(http, run, operation);
                results.Add(result);
                if (!result.Succeeded)
                {
                    return false;
                }
            }
            return true;
        }, http.RequestAborted);
        if (!committed)
        {
            // Nothing of the change set was stored: its ids must not resolve, and it answers with its failure alone.
            foreach (var done in changeset)
            {
                run.Fail(done.ContentId);
            }
            run.Fail(changeset[0].GroupId);
            await WriteAsync(writer, results[^1]);
            return;
        }
        await writer.WriteStartChangesetAsync((changeset.Count > 0 ? changeset[0].GroupId : null) ?? Guid.NewGuid().ToString("N"));
        foreach (var result in results)
        {
            await WriteAsync(writer, result);
        }
        await writer.WriteEndChangesetAsync();
    }

    private async Task<OperationResult> RunAsync(HttpContext http, BatchRun run, BatchOperation operation)
    {
        OperationResult result;
        if (operation.DependsOn.FirstOrDefault(run.HasFailed) is { } failed)
        {
            result = Failure(operation, 424, "FailedDependency", $"The request depends on '{failed}', which failed.");
        }
        else if (run.Resolve(operation.Url) is { } url)
        {
            result = await runner.RunAsync(http, operation, url);
        }
        else
        {
            result = Failure(operation, 400, "BadRequest", $"{operation.Url} is not a URL of this service.");
        }
        run.Record(result);
        return result;
    }

    private static OperationResult Failure(BatchOperation operation, int status, string code, string message)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(
            System.Text.Json.JsonSerializer.Serialize(new { error = new { code, message } }));
        return new OperationResult(operation.ContentId, status, [new("Content-Type", "application/json; charset=utf-8")], body);
    }

    private static async Task WriteAsync(ODataBatchWriter writer, OperationResult result)
    {
        var message = await writer.CreateOperationResponseMessageAsync(result.ContentId);
        message.StatusCode = result.Status;
        foreach (var (name, value) in result.Headers)
        {
            message.SetHeader(name, value);
        }
        message.SetHeader(ODataProtocol.VersionHeader, ODataProtocol.Version);
        if (result.Body.Length > 0)
        {
            await using var stream = await message.GetStreamAsync();
            await stream.WriteAsync(result.Body);
        }
    }
}
