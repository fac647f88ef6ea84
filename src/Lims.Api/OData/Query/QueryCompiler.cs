using Lims.Collections;
using Lims.Errors;
using Lims.Storage;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;
using Microsoft.OData.UriParser.Aggregation;

namespace Lims.OData.Query;

/// <summary>
/// Compiles the system query options of one request on one collection into a <see cref="QueryPlan"/>, and the
/// nested options of each $expand into a plan of its own (one statement per expand level).
/// </summary>
public static class QueryCompiler
{
    /// <summary>The query options that apply at one level (the request, or inside an $expand).</summary>
    private sealed record Options(
        FilterClause? Filter, OrderByClause? OrderBy, SelectExpandClause? SelectExpand, long? Top, long? Skip, bool Count,
        SearchClause? Search, ApplyClause? Apply, ComputeClause? Compute);

    public static QueryPlan Compile(ODataUriParser parser, CollectionDefinition collection, SqlDialect dialect, QueryContext context)
    {
        if (parser.CustomQueryOptions.FirstOrDefault(o => o.Key?.StartsWith('$') == true) is { Key: { } unknown })
        {
            throw ApiException.BadRequest($"Unknown query option {unknown}.");
        }
        // $apply first: $orderby may name what it computes.
        var apply = parser.ParseApply();
        var options = new Options(parser.ParseFilter(), parser.ParseOrderBy(), parser.ParseSelectAndExpand(), parser.ParseTop(), parser.ParseSkip(),
            parser.ParseCount() == true, parser.ParseSearch(), apply, parser.ParseCompute());
        var plan = Compile(options, collection, new SqlBuilder(dialect), context, depth: 0);
        if (parser.ParseSkipToken() is { Length: > 0 } token)
        {
            if (plan.Apply is not null)
            {
                throw ApiException.BadRequest("$skiptoken does not apply to a $apply result; page it with $top and $skip.");
            }
            SkipToken.Apply(plan, token);
        }
        return plan;
    }

    private static QueryPlan Compile(Options options, CollectionDefinition collection, SqlBuilder sql, QueryContext context, int depth)
    {
        var plan = new QueryPlan(collection, sql);
        var translator = new FilterTranslator(sql, new PathResolver(sql, collection, QueryPlan.Alias), context);

        if (options.Compute?.ComputedItems.Any() == true)
        {
            throw FilterTranslator.Unsupported("$compute");
        }
        if (options.Filter is { } filter)
        {
            plan.Conditions.Add(translator.Translate(filter.Expression));
        }
        if (options.Search is { } search)
        {
            plan.Conditions.Add(SearchTranslator.Translate(sql, collection, search.Expression));
        }
        if (options.Apply is { } apply)
        {
            plan.Apply = ApplyCompiler.Compile(plan, translator, apply);
        }
        for (var order = options.OrderBy; order is not null; order = order.ThenBy)
        {
            if (plan.Apply is not null)
            {
                plan.Apply.OrderBy(order);
                continue;
            }
            var kind = order.Expression.TypeReference?.Definition is IEdmPrimitiveType primitive ? KindOf(primitive) : null;
            plan.Order.Add(new OrderKey(translator.Operand(order.Expression, null), order.Direction == OrderByDirection.Descending, kind));
        }
        plan.Select = plan.Apply is null ? Projection.From(options.SelectExpand) : null;
        plan.Top = options.Top;
        if (plan.Top is < 0 || plan.Top > context.Limits.MaxTop)
        {
            throw ApiException.BadRequest($"$top must be between 0 and {context.Limits.MaxTop} (OData:MaxTop).");
        }
        plan.Skip = options.Skip ?? 0;
        if (plan.Skip < 0)
        {
            throw ApiException.BadRequest("$skip must not be negative.");
        }
        plan.Count = options.Count;
        foreach (var item in options.SelectExpand?.SelectedItems.OfType<ExpandedNavigationSelectItem>() ?? [])
        {
            if (plan.Apply is not null)
            {
                throw FilterTranslator.Unsupported("$expand together with $apply");
            }
            plan.Expands.Add(CompileExpand(item, collection, sql.Dialect, context, depth + 1, Levels(item, context, depth + 1)));
        }
        if (options.SelectExpand?.SelectedItems.Any(i => i is ExpandedReferenceSelectItem and not ExpandedNavigationSelectItem) == true)
        {
            throw FilterTranslator.Unsupported("$expand with /$ref");
        }
        return plan;
    }

    private static ExpandPlan CompileExpand(ExpandedNavigationSelectItem item, CollectionDefinition parent, SqlDialect dialect, QueryContext context, int depth, long levels)
    {
        if (depth > context.Limits.MaxExpandDepth)
        {
            throw ApiException.BadRequest($"$expand is nested deeper than the limit of {context.Limits.MaxExpandDepth} (OData:MaxExpandDepth).");
        }
        if (item.PathToNavigationProperty.LastSegment is not NavigationPropertySegment segment || item.PathToNavigationProperty.Count != 1)
        {
            throw FilterTranslator.Unsupported("$expand through a structured property or type cast");
        }
        var link = ExpandPlan.Link(parent, segment.NavigationProperty.Name)
            ?? throw FilterTranslator.Unsupported($"$expand of '{segment.NavigationProperty.Name}'");
        var options = new Options(item.FilterOption, item.OrderByOption, item.SelectAndExpand, item.TopOption, item.SkipOption,
            item.CountOption == true, item.SearchOption, item.ApplyOption, item.ComputeOption);
        if (options.Apply is not null)
        {
            throw FilterTranslator.Unsupported("$apply inside $expand");
        }
        var plan = Compile(options, link.Target, new SqlBuilder(dialect), context, depth);
        if (levels > 1)
        {
            // $levels repeats the same expand, with the same options, one level further down.
            plan.Expands.Add(CompileExpand(item, link.Target, dialect, context, depth + 1, levels - 1));
        }
        return new ExpandPlan(segment.NavigationProperty.Name, link.SingleValued, link.ParentField, link.ChildField, plan);
    }

    private static long Levels(ExpandedNavigationSelectItem item, QueryContext context, int depth) => item.LevelsOption switch
    {
        null => 1,
        { IsMaxLevel: true } => Math.Max(1, context.Limits.MaxExpandDepth - depth + 1),
        { Level: < 1 } => throw ApiException.BadRequest("$levels must be at least 1."),
        { Level: var level } when depth + level - 1 > context.Limits.MaxExpandDepth =>
            throw ApiException.BadRequest($"$levels={level} nests $expand deeper than the limit of {context.Limits.MaxExpandDepth} (OData:MaxExpandDepth)."),
        { Level: var level } => level,
    };

    public static PrimitiveKind? KindOf(IEdmPrimitiveType type) => type.PrimitiveKind switch
    {
        EdmPrimitiveTypeKind.String or EdmPrimitiveTypeKind.Date or EdmPrimitiveTypeKind.TimeOfDay => PrimitiveKind.String,
        EdmPrimitiveTypeKind.Int16 or EdmPrimitiveTypeKind.Int32 or EdmPrimitiveTypeKind.Int64 or EdmPrimitiveTypeKind.Byte or EdmPrimitiveTypeKind.SByte => PrimitiveKind.Int,
        EdmPrimitiveTypeKind.Double or EdmPrimitiveTypeKind.Single or EdmPrimitiveTypeKind.Decimal => PrimitiveKind.Float,
        EdmPrimitiveTypeKind.Boolean => PrimitiveKind.Bool,
        EdmPrimitiveTypeKind.DateTimeOffset => PrimitiveKind.DateTime,
        _ => null,
    };
}
