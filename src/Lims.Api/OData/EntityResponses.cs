using System.Globalization;
using System.Text.Json;
using Lims.Collections;
using Lims.OData.Query;
using Lims.Storage;
using Lims.Validation;

namespace Lims.OData;

/// <summary>Writes single entities and entity lists created by writes, with their context URL and ETag.</summary>
public static class EntityResponses
{
    /// <summary>
    /// The entity's URL, key percent-encoded: it goes into headers (Location), which hold ASCII only, and is written
    /// after the commit, where nothing may fail any more.
    /// </summary>
    public static string EntityUrl(Uri serviceRoot, CollectionDefinition collection, object key) =>
        $"{serviceRoot}{collection.EntitySet}({(key is string text ? $"'{Uri.EscapeDataString(text.Replace("'", "''", StringComparison.Ordinal))}'" : ReferenceResolver.FormatKey(key))})";

    public static string ContextUrl(Uri serviceRoot, CollectionDefinition collection, Projection? select, bool entity) =>
        $"{serviceRoot}$metadata#{collection.EntitySet}" +
        (select is null ? "" : "(" + select.ContextList() + ")") +
        (entity ? "/$entity" : "");

    public static async Task WriteEntityAsync(HttpContext http, Uri serviceRoot, CollectionDefinition collection, StoredDocument stored, int status, Projection? select = null)
    {
        http.Response.StatusCode = status;
        http.Response.Headers.ETag = stored.ETag;
        http.Response.ContentType = "application/json; odata.metadata=minimal; charset=utf-8";
        http.Response.Headers["OData-Version"] = "4.0";
        await using var writer = new Utf8JsonWriter(http.Response.Body, JsonOutput.Options);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", ContextUrl(serviceRoot, collection, select, entity: true));
        using var document = JsonDocument.Parse(stored.Document.ToJsonString());
        EntityJsonWriter.WriteProperties(writer, collection, document.RootElement, stored.Version, select);
        writer.WriteEndObject();
        await writer.FlushAsync(http.RequestAborted);
    }

    public static async Task WriteEntitiesAsync(HttpContext http, Uri serviceRoot, CollectionDefinition collection, IReadOnlyList<StoredDocument> documents, int status)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; odata.metadata=minimal; charset=utf-8";
        http.Response.Headers["OData-Version"] = "4.0";
        await using var writer = new Utf8JsonWriter(http.Response.Body, JsonOutput.Options);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", ContextUrl(serviceRoot, collection, null, entity: false));
        writer.WriteStartArray("value");
        foreach (var stored in documents)
        {
            using var document = JsonDocument.Parse(stored.Document.ToJsonString());
            EntityJsonWriter.Write(writer, collection, document.RootElement, stored.Version);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(http.RequestAborted);
    }

    /// <summary>Runs the plan expecting at most one row; null when there is none.</summary>
    public static async Task<StoredDocument?> ReadOneAsync(DocumentStore store, QueryPlan plan, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {QueryPlan.Alias}.doc, {QueryPlan.Alias}.row_version FROM {plan.Collection.Table} {QueryPlan.Alias}{plan.WhereClause} LIMIT 2";
        plan.Sql.Bind(command);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }
        return new StoredDocument((System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(reader.GetString(0))!, reader.GetInt64(1));
    }

    /// <summary>The number of rows the plan yields: entities, or groups after $apply.</summary>
    public static async Task<long> CountAsync(DocumentStore store, QueryPlan plan, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = plan.CountSql;
        plan.Sql.Bind(command);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }
}
