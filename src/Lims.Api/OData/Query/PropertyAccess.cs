using Lims.Collections;
using Lims.Storage;

namespace Lims.OData.Query;

/// <summary>
/// Turns a property path of a collection into SQL: a hot field reads its indexed column, anything else
/// reads the document through the dialect's JSON operators.
/// </summary>
public static class PropertyAccess
{
    public static string Value(SqlDialect dialect, CollectionDefinition collection, string alias, IReadOnlyList<string> path, PrimitiveKind? kind)
    {
        if (path.Count == 1 && path[0] == collection.Key.Name)
        {
            return $"{alias}.id";
        }
        if (collection.ColumnFor(path) is { } column)
        {
            return $"{alias}.{SqlDialect.Quote(column.Name)}";
        }
        return dialect.JsonValue($"{alias}.doc", path, kind);
    }

    /// <summary>The primitive kind of a declared path, or null for dynamic (open) properties.</summary>
    public static PrimitiveKind? KindOf(CollectionDefinition collection, IReadOnlyList<string> path)
    {
        FieldDefinition? field = collection.Find(path[0]);
        for (var i = 1; i < path.Count && field is not null; i++)
        {
            field = field.Type is ComplexType complex ? complex.Definition.Find(path[i]) : null;
        }
        return field?.Type is PrimitiveType primitive ? primitive.Kind : null;
    }
}
