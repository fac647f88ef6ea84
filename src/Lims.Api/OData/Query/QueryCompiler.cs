using Lims.Collections;
using Lims.Errors;
using Lims.Storage;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace Lims.OData.Query;

/// <summary>Compiles the system query options of one request on one collection into a <see cref="QueryPlan"/>.</summary>
public static class QueryCompiler
{
    public static QueryPlan Compile(ODataUriParser parser, CollectionDefinition collection, SqlDialect dialect, ODataLimits limits)
    {
        var plan = new QueryPlan(collection, new SqlBuilder(dialect));
        var paths = new PathResolver(plan.Sql, collection, QueryPlan.Alias);
        var translator = new FilterTranslator(plan.Sql, paths);

        if (parser.CustomQueryOptions.Any(o => o.Key?.StartsWith('$') == true))
        {
            throw ApiException.BadRequest($"Unknown query option {parser.CustomQueryOptions.First(o => o.Key?.StartsWith('$') == true).Key}.");
        }
        if (parser.ParseFilter() is { } filter)
        {
            plan.Conditions.Add(translator.Translate(filter.Expression));
        }
        for (var order = parser.ParseOrderBy(); order is not null; order = order.ThenBy)
        {
            var kind = order.Expression.TypeReference?.Definition is IEdmPrimitiveType primitive ? KindOf(primitive) : null;
            plan.Order.Add(new OrderKey(translator.Translate(order.Expression), order.Direction == OrderByDirection.Descending, kind));
        }
        plan.Select = SelectedProperties(parser.ParseSelectAndExpand());
        plan.Top = parser.ParseTop();
        if (plan.Top is < 0 || plan.Top > limits.MaxTop)
        {
            throw ApiException.BadRequest($"$top must be between 0 and {limits.MaxTop}.");
        }
        plan.Skip = parser.ParseSkip() ?? 0;
        if (plan.Skip < 0)
        {
            throw ApiException.BadRequest("$skip must not be negative.");
        }
        plan.Count = parser.ParseCount() == true;
        if (parser.ParseSkipToken() is { Length: > 0 } token)
        {
            SkipToken.Apply(plan, token);
        }
        if (parser.ParseSearch() is not null)
        {
            throw FilterTranslator.Unsupported("$search");
        }
        if (parser.ParseApply() is not null)
        {
            throw FilterTranslator.Unsupported("$apply");
        }
        return plan;
    }

    private static HashSet<string>? SelectedProperties(SelectExpandClause? clause)
    {
        if (clause is null || clause.AllSelected)
        {
            if (clause?.SelectedItems.OfType<ExpandedNavigationSelectItem>().Any() == true)
            {
                throw FilterTranslator.Unsupported("$expand");
            }
            return null;
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in clause.SelectedItems)
        {
            switch (item)
            {
                case PathSelectItem { SelectedPath.FirstSegment: PropertySegment property }:
                    names.Add(property.Property.Name);
                    break;
                case PathSelectItem { SelectedPath.FirstSegment: DynamicPathSegment dynamic }:
                    throw ApiException.BadRequest($"Could not find a property named '{dynamic.Identifier}' to $select.");
                case ExpandedNavigationSelectItem:
                    throw FilterTranslator.Unsupported("$expand");
                default:
                    break;
            }
        }
        return names;
    }

    public static PrimitiveKind? KindOf(IEdmPrimitiveType type) => type.PrimitiveKind switch
    {
        EdmPrimitiveTypeKind.String => PrimitiveKind.String,
        EdmPrimitiveTypeKind.Int16 or EdmPrimitiveTypeKind.Int32 or EdmPrimitiveTypeKind.Int64 or EdmPrimitiveTypeKind.Byte => PrimitiveKind.Int,
        EdmPrimitiveTypeKind.Double or EdmPrimitiveTypeKind.Single or EdmPrimitiveTypeKind.Decimal => PrimitiveKind.Float,
        EdmPrimitiveTypeKind.Boolean => PrimitiveKind.Bool,
        EdmPrimitiveTypeKind.DateTimeOffset => PrimitiveKind.DateTime,
        _ => null,
    };
}
