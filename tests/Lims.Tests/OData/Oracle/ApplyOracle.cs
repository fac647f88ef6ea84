using System.Text.Json.Nodes;
using Microsoft.OData.UriParser;
using Microsoft.OData.UriParser.Aggregation;

namespace Lims.Tests.OData.Oracle;

/// <summary>$apply over in-memory rows: filter, groupby and aggregate, with $orderby, $skip, $top and $count on the groups.</summary>
public sealed class ApplyOracle(ExpressionEvaluator evaluator)
{
    private sealed record Column(List<string> Path, Func<List<Entity>, object?> Value, bool IsGroup);

    public JsonObject Run(IEnumerable<Entity> source, ApplyClause apply, OrderByClause? orderBy, long? skip, long? top, bool count)
    {
        var rows = source.ToList();
        List<Column>? columns = null;
        foreach (var transformation in apply.Transformations)
        {
            switch (transformation)
            {
                case FilterTransformationNode filter:
                    rows = [.. rows.Where(r => ExpressionEvaluator.IsTrue(evaluator.Eval(filter.FilterClause.Expression, Env(r))))];
                    break;
                case GroupByTransformationNode groupBy:
                    columns = [];
                    foreach (var property in groupBy.GroupingProperties)
                    {
                        AddGroups(columns, property, []);
                    }
                    if (groupBy.ChildTransformations is AggregateTransformationNode inner)
                    {
                        AddAggregates(columns, inner);
                    }
                    break;
                case AggregateTransformationNode aggregate:
                    columns = [];
                    AddAggregates(columns, aggregate);
                    break;
            }
        }
        var groupColumns = columns!.Where(c => c.IsGroup).ToList();
        var groups = groupColumns.Count == 0
            ? [rows]
            : rows.GroupBy(r => string.Join("\u0001", groupColumns.Select(c => Values.ToJson(c.Value([r]))?.ToJsonString() ?? "null"))).Select(g => g.ToList()).ToList();
        var results = groups.Select(g => columns!.Select(c => c.Value(g)).ToList()).ToList();

        // The service's order: the $orderby keys, then the grouping columns ascending.
        var order = new List<(int Index, bool Descending)>();
        for (var o = orderBy; o is not null; o = o.ThenBy)
        {
            var name = o.Expression switch
            {
                SingleValueOpenPropertyAccessNode open => open.Name,
                SingleValuePropertyAccessNode p => p.Property.Name,
                _ => throw new NotSupportedException(),
            };
            order.Add((columns!.FindIndex(c => string.Join("/", c.Path) == name || c.Path[^1] == name), o.Direction == OrderByDirection.Descending));
        }
        order.AddRange(columns!.Select((c, i) => (c, i)).Where(x => x.c.IsGroup).Select(x => (x.i, false)));
        results.Sort((a, b) =>
        {
            foreach (var (index, descending) in order)
            {
                var c = Values.CompareNullable(a[index], b[index]);
                if (c != 0)
                {
                    return descending ? -c : c;
                }
            }
            return 0;
        });
        IEnumerable<List<object?>> page = results.Skip((int)(skip ?? 0));
        if (top is { } t)
        {
            page = page.Take((int)t);
        }
        var value = new JsonArray();
        foreach (var result in page)
        {
            var obj = new JsonObject();
            for (var i = 0; i < columns!.Count; i++)
            {
                var target = obj;
                foreach (var part in columns[i].Path.SkipLast(1))
                {
                    target = (target[part] ??= new JsonObject()).AsObject();
                }
                if (result[i] is not null)
                {
                    target[columns[i].Path[^1]] = Values.ToJson(result[i]);
                }
            }
            value.Add(obj);
        }
        var answer = new JsonObject();
        if (count)
        {
            answer["@odata.count"] = (long)results.Count;
        }
        answer["value"] = value;
        return answer;
    }

    private void AddGroups(List<Column> columns, GroupByPropertyNode property, List<string> prefix)
    {
        var path = new List<string>(prefix) { property.Name };
        if (property.Expression is { } expression)
        {
            columns.Add(new Column(path, g => evaluator.Eval(expression, Env(g[0])), IsGroup: true));
        }
        foreach (var child in property.ChildTransformations)
        {
            AddGroups(columns, child, path);
        }
    }

    private void AddAggregates(List<Column> columns, AggregateTransformationNode node)
    {
        foreach (var aggregate in node.AggregateExpressions.Cast<AggregateExpression>())
        {
            if (aggregate.Method == AggregationMethod.VirtualPropertyCount)
            {
                columns.Add(new Column([aggregate.Alias], g => (long)g.Count, IsGroup: false));
                continue;
            }
            List<object> ValuesOf(List<Entity> g) => [.. g.Select(r => evaluator.Eval(aggregate.Expression, Env(r))).OfType<object>()];
            Func<List<Entity>, object?> compute = aggregate.Method switch
            {
                AggregationMethod.Sum => g => ValuesOf(g) is { Count: > 0 } v ? (v.All(x => x is long) ? v.Sum(x => (long)x) : v.Sum(Values.ToDouble)) : null,
                AggregationMethod.Average => g => ValuesOf(g) is { Count: > 0 } v ? v.Average(Values.ToDouble) : null,
                AggregationMethod.Min => g => ValuesOf(g).Order(Comparer<object>.Create(Values.Compare)).FirstOrDefault(),
                AggregationMethod.Max => g => ValuesOf(g).Order(Comparer<object>.Create(Values.Compare)).LastOrDefault(),
                AggregationMethod.CountDistinct => g => (long)ValuesOf(g).Select(v => Values.ToJson(v)!.ToJsonString()).Distinct().Count(),
                _ => throw new NotSupportedException(aggregate.Method.ToString()),
            };
            columns.Add(new Column([aggregate.Alias], compute, IsGroup: false));
        }
    }

    private static Dictionary<string, object?> Env(Entity row) => new() { ["$it"] = row };
}
