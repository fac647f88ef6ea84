using System.Text.Json;
using Lims.Collections;

namespace Lims.OData.Query;

/// <summary>Writes an entity with its $expand results nested under the navigation names.</summary>
public static class ResultWriter
{
    public static void Write(Utf8JsonWriter writer, CollectionDefinition collection, ResultRow row, QueryPlan plan)
    {
        writer.WriteStartObject();
        WriteProperties(writer, collection, row, plan);
        writer.WriteEndObject();
    }

    public static void WriteProperties(Utf8JsonWriter writer, CollectionDefinition collection, ResultRow row, QueryPlan plan)
    {
        EntityJsonWriter.WriteProperties(writer, collection, row.Document.RootElement, row.Version, plan.Select);
        foreach (var expand in plan.Expands)
        {
            if (!row.Expanded.TryGetValue(expand.Navigation, out var found))
            {
                continue;
            }
            if (expand.SingleValued)
            {
                writer.WritePropertyName(expand.Navigation);
                if (found.Rows.Count == 0)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    Write(writer, expand.Target, found.Rows[0], expand.Plan);
                }
                continue;
            }
            if (expand.Plan.Count)
            {
                writer.WriteNumber(expand.Navigation + "@odata.count", found.Total);
            }
            writer.WriteStartArray(expand.Navigation);
            foreach (var child in found.Rows)
            {
                Write(writer, expand.Target, child, expand.Plan);
            }
            writer.WriteEndArray();
        }
    }
}
