using System.Text.Json.Nodes;
using Lims.Collections;
using Lims.Collections.Definitions;
using Lims.Storage;

namespace Lims.Workflow;

/// <summary>The few reads the workflow needs beyond loading one document by key; each is one parameterised statement.</summary>
public static class WorkflowQueries
{
    /// <summary>Acquisitions of the given tasks (a task has a handful), in creation order.</summary>
    public static async Task<List<JsonObject>> AcquisitionsOfTasksAsync(StoreSession session, IReadOnlyCollection<object> taskIds, CancellationToken ct)
    {
        if (taskIds.Count == 0)
        {
            return [];
        }
        var table = Acquisitions.Definition.Table;
        await using var command = session.Command(
            $"SELECT doc FROM {table} WHERE {session.Dialect.InList("acquisition_task_id", "@ids")} ORDER BY created_at, id");
        session.Dialect.AddListParameter(command, "@ids", taskIds, PrimitiveKind.String);
        return await ReadDocumentsAsync(command, ct);
    }

    /// <summary>Ids (and row versions) from a query whose first column is the id and second the row version.</summary>
    public static async Task<List<(string Id, long Version)>> IdsAsync(StoreSession session, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var command = session.Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<(string, long)>();
        while (await reader.ReadAsync(ct))
        {
            ids.Add((reader.GetString(0), reader.GetInt64(1)));
        }
        return ids;
    }

    private static async Task<List<JsonObject>> ReadDocumentsAsync(System.Data.Common.DbCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var documents = new List<JsonObject>();
        while (await reader.ReadAsync(ct))
        {
            documents.Add((JsonObject)JsonNode.Parse(reader.GetString(0))!);
        }
        return documents;
    }
}
