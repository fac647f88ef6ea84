using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lims.Collections;
using Lims.Errors;

namespace Lims.OData.Query;

/// <summary>
/// A keyset position: the order-by values and key of the last row served. Paging on it costs the same on
/// page 1 and page 10,000, and rows written meanwhile never shift a page.
/// </summary>
public static class SkipToken
{
    public static string Encode(IReadOnlyList<object?> orderValues, object key)
    {
        var array = new JsonArray([.. orderValues.Select(v => v is null ? null : JsonValue.Create(v)), JsonValue.Create(key)]);
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(array.ToJsonString()));
    }

    /// <summary>Adds the condition "after the token's row" to the plan.</summary>
    public static void Apply(QueryPlan plan, string token)
    {
        JsonArray values;
        try
        {
            values = JsonNode.Parse(Base64Url.DecodeFromChars(token))!.AsArray();
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or NullReferenceException)
        {
            throw ApiException.BadRequest("$skiptoken is not one this service issued; follow @odata.nextLink as given.");
        }
        if (values.Count != plan.Order.Count + 1)
        {
            throw ApiException.BadRequest("$skiptoken does not fit this $orderby; follow @odata.nextLink as given.");
        }

        var sql = plan.Sql;
        var alternatives = new List<string>();
        var equalities = new List<string>();
        for (var i = 0; i < plan.Order.Count; i++)
        {
            var key = plan.Order[i];
            var value = Scalar(values[i], key.Kind);
            var after = (value, key.Descending) switch
            {
                (null, false) => $"{key.Sql} IS NOT NULL",
                (null, true) => null, // nulls come last in descending order: nothing follows them in this column
                (_, false) => $"{key.Sql} > {sql.Parameter(value)}",
                (_, true) => $"({key.Sql} < {sql.Parameter(value)} OR {key.Sql} IS NULL)",
            };
            if (after is not null)
            {
                alternatives.Add(string.Join(" AND ", equalities.Append(after)));
            }
            equalities.Add(value is null ? $"{key.Sql} IS NULL" : $"{key.Sql} = {sql.Parameter(value)}");
        }
        var lastKey = Scalar(values[^1], plan.Collection.HasIntegerKey ? PrimitiveKind.Int : PrimitiveKind.String)
            ?? throw ApiException.BadRequest("$skiptoken has no key.");
        alternatives.Add(string.Join(" AND ", equalities.Append($"{QueryPlan.Alias}.id > {sql.Parameter(lastKey)}")));
        plan.Conditions.Add(string.Join(" OR ", alternatives.Select(a => $"({a})")));
    }

    private static object? Scalar(JsonNode? node, PrimitiveKind? kind)
    {
        if (node is not JsonValue value)
        {
            return null;
        }
        try
        {
            return TypedScalar(value, kind);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            // A forged token: its values do not have the types of the columns they stand for.
            throw ApiException.BadRequest("$skiptoken is not one this service issued; follow @odata.nextLink as given.");
        }
    }

    private static object TypedScalar(JsonValue value, PrimitiveKind? kind) =>
        kind switch
        {
            PrimitiveKind.Int => value.GetValue<long>(),
            PrimitiveKind.Float => value.GetValue<double>(),
            // SQLite hands booleans back as 0/1.
            PrimitiveKind.Bool => value.GetValueKind() == JsonValueKind.Number ? value.GetValue<long>() != 0 : value.GetValue<bool>(),
            PrimitiveKind.String or PrimitiveKind.DateTime => value.GetValue<string>(),
            _ => value.GetValueKind() switch
            {
                JsonValueKind.Number => value.GetValue<double>(),
                JsonValueKind.True or JsonValueKind.False => value.GetValue<bool>(),
                _ => value.GetValue<string>(),
            },
        };
}
