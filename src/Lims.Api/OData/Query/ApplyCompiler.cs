using Lims.Collections;
using Microsoft.OData.UriParser;
using Microsoft.OData.UriParser.Aggregation;

namespace Lims.OData.Query;

/// <summary>
/// Compiles $apply's <c>filter</c>, <c>groupby</c> and <c>aggregate</c> (sum, average, min, max, countdistinct, $count)
/// into the plan: a filter before grouping is a WHERE condition, the grouping a GROUP BY of the same statement.
/// </summary>
public static class ApplyCompiler
{
    public const string SummaryAlias = "s";

    public static ApplyPlan? Compile(QueryPlan plan, FilterTranslator translator, ApplyClause clause)
    {
        var grouped = Transform(plan, translator, clause);
        // No filter at all: a filter on a summary key could be allowed too, but the conditions are SQL text by now.
        if (grouped is not null && plan.Conditions.Count == 0 && translator.Sql.Dialect.KeepsSummaries && plan.Collection.Summary is not null)
        {
            grouped.FromSummary = grouped.Columns.All(c => c.SummarySql is not null);
        }
        return grouped;
    }

    private static ApplyPlan? Transform(QueryPlan plan, FilterTranslator translator, ApplyClause clause)
    {
        ApplyPlan? grouped = null;
        foreach (var transformation in clause.Transformations)
        {
            if (grouped is not null)
            {
                throw FilterTranslator.Unsupported($"$apply's {transformation.Kind} after a groupby or aggregate");
            }
            switch (transformation)
            {
                case FilterTransformationNode filter:
                    plan.Conditions.Add(translator.Translate(filter.FilterClause.Expression));
                    break;
                case GroupByTransformationNode groupBy:
                    grouped = new ApplyPlan();
                    foreach (var property in groupBy.GroupingProperties)
                    {
                        AddGroup(grouped, translator, property, []);
                    }
                    if (groupBy.ChildTransformations is AggregateTransformationNode inner)
                    {
                        AddAggregates(grouped, translator, inner);
                    }
                    else if (groupBy.ChildTransformations is not null)
                    {
                        throw FilterTranslator.Unsupported($"$apply's groupby with {groupBy.ChildTransformations.Kind}");
                    }
                    break;
                case AggregateTransformationNode aggregate:
                    grouped = new ApplyPlan();
                    AddAggregates(grouped, translator, aggregate);
                    break;
                default:
                    throw FilterTranslator.Unsupported($"$apply's {transformation.Kind}");
            }
        }
        return grouped;
    }

    private static void AddGroup(ApplyPlan plan, FilterTranslator translator, GroupByPropertyNode property, List<string> prefix)
    {
        var path = new List<string>(prefix) { property.Name };
        if (property.Expression is { } expression)
        {
            if (expression is SingleComplexNode)
            {
                throw FilterTranslator.Unsupported("groupby on a whole structured value");
            }
            var summarised = path.Count == 1 && property.ChildTransformations.Count == 0 && Summarised(translator, expression, s => s.Keys) is { } key
                ? $"{SummaryAlias}.{Storage.SqlDialect.Quote(key)}" : null;
            plan.Columns.Add(new ApplyColumn(path, translator.Operand(expression, null), FilterTranslator.KindOf(expression), IsGroup: true, summarised));
        }
        foreach (var child in property.ChildTransformations)
        {
            AddGroup(plan, translator, child, path);
        }
    }

    private static void AddAggregates(ApplyPlan plan, FilterTranslator translator, AggregateTransformationNode node)
    {
        foreach (var item in node.AggregateExpressions)
        {
            if (item is not AggregateExpression aggregate)
            {
                throw FilterTranslator.Unsupported("Aggregating a navigation collection in $apply");
            }
            if (aggregate.Method == AggregationMethod.VirtualPropertyCount)
            {
                plan.Columns.Add(new ApplyColumn([aggregate.Alias], "COUNT(*)", PrimitiveKind.Int, IsGroup: false, $"COALESCE(SUM({SummaryAlias}.n), 0)"));
                continue;
            }
            var value = translator.Operand(aggregate.Expression, null);
            var kind = FilterTranslator.KindOf(aggregate.Expression);
            if (aggregate.Method is AggregationMethod.Sum or AggregationMethod.Average && kind is PrimitiveKind.String or PrimitiveKind.DateTime or PrimitiveKind.Bool)
            {
                throw Errors.ApiException.BadRequest($"'{aggregate.Alias}': {aggregate.Method.ToString().ToLowerInvariant()} applies to numbers, not to {kind.ToString()!.ToLowerInvariant()} values.");
            }
            var (sql, resultKind) = aggregate.Method switch
            {
                AggregationMethod.Sum => ($"SUM({value})", kind),
                AggregationMethod.Average => ($"AVG({translator.Sql.Dialect.ToFloat(value)})", PrimitiveKind.Float),
                AggregationMethod.Min => ($"MIN({value})", kind),
                AggregationMethod.Max => ($"MAX({value})", kind),
                AggregationMethod.CountDistinct => ($"COUNT(DISTINCT {value})", PrimitiveKind.Int),
                _ => throw FilterTranslator.Unsupported($"The aggregation method {aggregate.MethodDefinition?.MethodLabel ?? aggregate.Method.ToString()}"),
            };
            plan.Columns.Add(new ApplyColumn([aggregate.Alias], sql, resultKind, IsGroup: false, SummaryAggregate(translator, aggregate)));
        }
    }

    /// <summary>The decomposable aggregates of a summarised value: sums and counts add up, minima and maxima of minima and maxima.</summary>
    private static string? SummaryAggregate(FilterTranslator translator, AggregateExpression aggregate)
    {
        if (Summarised(translator, aggregate.Expression, s => s.Values) is not { } value)
        {
            return null;
        }
        string C(string part) => $"{SummaryAlias}.{Storage.SqlDialect.Quote(SummaryDefinition.Column(value, part))}";
        return aggregate.Method switch
        {
            AggregationMethod.Sum => $"CASE WHEN SUM({C("n")}) > 0 THEN SUM({C("sum")}) END",
            AggregationMethod.Average => $"SUM({C("sum")}) / NULLIF(SUM({C("n")}), 0)",
            AggregationMethod.Min => $"MIN({C("min")})",
            AggregationMethod.Max => $"MAX({C("max")})",
            _ => null,
        };
    }

    /// <summary>The name of a top-level property of the entity when the summary carries it among <paramref name="names"/>.</summary>
    private static string? Summarised(FilterTranslator translator, SingleValueNode expression, Func<SummaryDefinition, IReadOnlyList<string>> names) =>
        expression is SingleValuePropertyAccessNode { Source: ResourceRangeVariableReferenceNode } property
        && translator.Paths.Root is { Summary: { } summary } && names(summary).Contains(property.Property.Name)
            ? property.Property.Name
            : null;
}
