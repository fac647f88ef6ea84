using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Lims.Storage;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Lims.OData.Query;

/// <summary>
/// Runs a plan as one SELECT and streams the rows to the response as they are read. The total for $count
/// comes from a COUNT statement of its own. With $expand, one page of parents is held while each expand
/// level runs its one statement; with $apply, the grouped rows stream like entities.
/// </summary>
public static class QueryExecutor
{
    private const int FlushEveryRows = 200;

    public static async Task WriteCollectionAsync(HttpContext http, DocumentStore store, QueryPlan plan, ODataLimits limits, string contextUrl)
    {
        if (plan.Apply is not null)
        {
            await ApplyWriter.WriteAsync(http, store, plan, limits);
            return;
        }
        var pageSize = PageSize(plan, limits);
        var page = new PageStatement(plan, pageSize);

        await using var connection = await store.OpenAsync(http.RequestAborted);
        long? total = plan.Count ? await CountAsync(connection, plan, http.RequestAborted) : null;
        await using var command = connection.CreateCommand();
        command.CommandText = page.Sql;
        plan.Sql.Bind(command);
        var reader = await command.ExecuteReaderAsync(http.RequestAborted);

        WriteHeaders(http);
        await using var writer = new Utf8JsonWriter(http.Response.Body, JsonOutput.Options);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", contextUrl);

        var columns = page.Columns;
        var rows = 0;
        List<object?>? lastOrder = null;
        object? lastKey = null;
        var hasMore = false;
        var buffered = plan.Expands.Count > 0 ? new List<ResultRow>() : null;
        var started = false;
        while (await reader.ReadAsync(http.RequestAborted))
        {
            if (rows == pageSize || writer.BytesCommitted + writer.BytesPending >= limits.MaxPageBytes)
            {
                hasMore = true;
                break;
            }
            if (buffered is not null)
            {
                buffered.Add(columns.Row(reader));
            }
            else
            {
                if (!started)
                {
                    WriteStart(writer, total);
                    started = true;
                }
                using var document = JsonDocument.Parse(columns.DocumentText(reader));
                EntityJsonWriter.Write(writer, plan.Collection, document.RootElement, columns.Version(reader), plan.Select);
            }
            lastKey = columns.Key(reader);
            lastOrder = columns.OrderValues(reader);
            if (++rows % FlushEveryRows == 0 && buffered is null)
            {
                await writer.FlushAsync(http.RequestAborted);
            }
        }
        // The reader must close before the connection runs another command.
        await reader.DisposeAsync();
        if (!started)
        {
            WriteStart(writer, total);
        }
        if (buffered is not null)
        {
            await ExpandLoader.LoadAsync(connection, plan.Collection, buffered, plan.Expands, limits, http.RequestAborted);
            foreach (var row in buffered)
            {
                ResultWriter.Write(writer, plan.Collection, row, plan);
            }
            // After all are written: parents may share a single-valued expanded row.
            buffered.ForEach(row => row.Dispose());
        }
        writer.WriteEndArray();
        var remaining = plan.Top is { } top ? top - rows : (long?)null;
        if (hasMore && lastKey is not null && remaining is null or > 0)
        {
            writer.WriteString("@odata.nextLink", NextLink(http.Request, SkipToken.Encode(lastOrder!, lastKey), remaining));
        }
        writer.WriteEndObject();
        await writer.FlushAsync(http.RequestAborted);
    }

    public static int PageSize(QueryPlan plan, ODataLimits limits) => (int)Math.Min(plan.Top ?? long.MaxValue, limits.MaxPageSize);

    /// <summary>A single entity (by key, or through a single-valued navigation) with its $expand results.</summary>
    public static async Task WriteEntityAsync(HttpContext http, DocumentStore store, QueryPlan plan, StoredDocument stored, int status, Uri serviceRoot, ODataLimits limits)
    {
        if (plan.Expands.Count == 0)
        {
            await EntityResponses.WriteEntityAsync(http, serviceRoot, plan.Collection, stored, status, plan.Select);
            return;
        }
        var key = stored.Document[plan.Collection.Key.Name]!.GetValue<JsonElement>();
        using var row = new ResultRow(
            key.ValueKind == JsonValueKind.Number ? key.GetInt64() : key.GetString()!,
            JsonDocument.Parse(stored.Document.ToJsonString()), stored.Version);
        await using (var connection = await store.OpenAsync(http.RequestAborted))
        {
            await ExpandLoader.LoadAsync(connection, plan.Collection, [row], plan.Expands, limits, http.RequestAborted);
        }
        http.Response.StatusCode = status;
        http.Response.Headers.ETag = stored.ETag;
        WriteHeaders(http);
        await using var writer = new Utf8JsonWriter(http.Response.Body, JsonOutput.Options);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", EntityResponses.ContextUrl(serviceRoot, plan.Collection, plan.Select, entity: true));
        ResultWriter.WriteProperties(writer, plan.Collection, row, plan);
        writer.WriteEndObject();
        await writer.FlushAsync(http.RequestAborted);
    }

    private static void WriteHeaders(HttpContext http)
    {
        http.Response.ContentType = "application/json; odata.metadata=minimal; charset=utf-8";
        http.Response.Headers["OData-Version"] = "4.0";
    }

    private static void WriteStart(Utf8JsonWriter writer, long? total)
    {
        if (total is { } count)
        {
            writer.WriteNumber("@odata.count", count);
        }
        writer.WriteStartArray("value");
    }

    private static async Task<long> CountAsync(DbConnection connection, QueryPlan plan, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = plan.CountSql;
        plan.Sql.Bind(command);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>The request's own URL with every option kept, the position replaced by the token.</summary>
    public static string NextLink(HttpRequest request, string token, long? remainingTop) =>
        Link(request, remainingTop, ("$skiptoken", token));

    /// <summary>The request's own URL with every option kept but the position, which <paramref name="position"/> replaces.</summary>
    public static string Link(HttpRequest request, long? remainingTop, (string Name, string Value) position)
    {
        var query = QueryHelpers.ParseQuery(request.QueryString.Value)
            .Where(p => !IsOption(p.Key, "skip") && !IsOption(p.Key, "skiptoken") && !(remainingTop is not null && IsOption(p.Key, "top")))
            .ToDictionary(p => p.Key, p => p.Value);
        if (remainingTop is { } top)
        {
            query["$top"] = top.ToString(CultureInfo.InvariantCulture);
        }
        query[position.Name] = position.Value;
        var baseUrl = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}";
        return QueryHelpers.AddQueryString(baseUrl, query.SelectMany(p => ((StringValues)p.Value).Select(v => new KeyValuePair<string, string?>(p.Key, v))));
    }

    private static bool IsOption(string key, string name) =>
        key.Equals("$" + name, StringComparison.OrdinalIgnoreCase) || key.Equals(name, StringComparison.OrdinalIgnoreCase);
}
