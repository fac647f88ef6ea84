using System.Globalization;
using System.Text.Json;
using Lims.Collections;
using Lims.Storage;

namespace Lims.OData.Query;

/// <summary>
/// Streams the rows of a grouping $apply: grouping properties nested at their paths, aggregates under their aliases.
/// @odata.count counts the grouped rows; pages continue with $skip (groups have no stable key of their own).
/// </summary>
public static class ApplyWriter
{
    public static async Task WriteAsync(HttpContext http, DocumentStore store, QueryPlan plan, ODataLimits limits)
    {
        var apply = plan.Apply!;
        var pageSize = Math.Min(plan.Top ?? long.MaxValue, limits.MaxPageSize);
        await using var connection = await store.OpenAsync(http.RequestAborted);
        await using var command = connection.CreateCommand();
        var statement = apply.Select(plan, plan.Count, pageSize + 1);
        command.CommandText = statement.Sql;
        plan.Sql.Bind(command);
        await using var reader = await command.ExecuteReaderAsync(http.RequestAborted);

        http.Response.ContentType = "application/json; odata.metadata=minimal; charset=utf-8";
        http.Response.Headers["OData-Version"] = "4.0";
        await using var writer = new Utf8JsonWriter(http.Response.Body, JsonOutput.Options);
        writer.WriteStartObject();
        var root = ODataUriFactory.ServiceRoot(http.Request);
        writer.WriteString("@odata.context", $"{root}$metadata#{plan.Collection.EntitySet}({string.Join(",", apply.Columns.Select(c => c.Path[0]).Distinct())})");
        long rows = 0;
        var hasMore = false;
        long? total = null;
        while (await reader.ReadAsync(http.RequestAborted))
        {
            if (rows == 0 && statement.Total is { } totalColumn)
            {
                total = EntityColumns.Int64(reader, totalColumn);
                writer.WriteNumber("@odata.count", total.Value);
            }
            if (rows == 0)
            {
                writer.WriteStartArray("value");
            }
            if (rows == pageSize)
            {
                hasMore = true;
                break;
            }
            WriteRow(writer, apply, statement, reader);
            rows++;
        }
        if (rows == 0)
        {
            if (plan.Count)
            {
                writer.WriteNumber("@odata.count", 0);
            }
            writer.WriteStartArray("value");
        }
        writer.WriteEndArray();
        var remaining = plan.Top is { } top ? top - rows : (long?)null;
        if (hasMore && remaining is null or > 0)
        {
            writer.WriteString("@odata.nextLink", QueryExecutor.Link(http.Request, remaining, ("$skip", (plan.Skip + rows).ToString(CultureInfo.InvariantCulture))));
        }
        writer.WriteEndObject();
        await writer.FlushAsync(http.RequestAborted);
    }

    private static void WriteRow(Utf8JsonWriter writer, ApplyPlan apply, ApplyStatement statement, System.Data.Common.DbDataReader reader)
    {
        writer.WriteStartObject();
        // Columns sharing a path prefix (stage_position/x, stage_position/y) share one nested object.
        var open = new List<string>();
        for (var i = 0; i < apply.Columns.Count; i++)
        {
            var path = apply.Columns[i].Path;
            var common = 0;
            while (common < open.Count && common < path.Count - 1 && open[common] == path[common])
            {
                common++;
            }
            while (open.Count > common)
            {
                writer.WriteEndObject();
                open.RemoveAt(open.Count - 1);
            }
            for (var j = common; j < path.Count - 1; j++)
            {
                writer.WriteStartObject(path[j]);
                open.Add(path[j]);
            }
            writer.WritePropertyName(path[^1]);
            var column = statement.Columns[i];
            WriteValue(writer, reader.IsDBNull(column) ? null : reader.GetValue(column), apply.Columns[i].Kind);
        }
        while (open.Count > 0)
        {
            writer.WriteEndObject();
            open.RemoveAt(open.Count - 1);
        }
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, PrimitiveKind? kind)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case long or int or short when kind == PrimitiveKind.Bool:
                writer.WriteBooleanValue(Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0);
                break;
            case long or int or short or decimal when kind == PrimitiveKind.Int:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case long or int or short:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
