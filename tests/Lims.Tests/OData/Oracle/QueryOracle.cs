using System.Text.Json.Nodes;
using Lims.Collections;
using Lims.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace Lims.Tests.OData.Oracle;

/// <summary>
/// Answers an OData collection query over the in-memory lab: the parsed semantic tree (the same parser and model as the
/// service) evaluated with plain LINQ. The expected answer has every row of every page, nulls left out, no annotations
/// but counts.
/// </summary>
public sealed class QueryOracle(SeedDocuments data, IEdmModel model, int maxPageSize)
{
    private static readonly Uri _root = new("http://oracle/odata/");

    public static QueryOracle ForSeed(int maxPageSize) => new(SeedDocuments.Instance, EdmModelBuilder.Build(Catalog.All), maxPageSize);

    public JsonObject Run(string entitySet, string query)
    {
        var parser = ODataUriFactory.Create(model, _root, new Uri(_root, entitySet + "?" + query));
        parser.ParsePath();
        var evaluator = new ExpressionEvaluator(data, parser.ParameterAliasNodes ?? new Dictionary<string, SingleValueNode>());
        var collection = Catalog.Get(entitySet);
        var apply = parser.ParseApply();
        var options = new Level(parser.ParseFilter(), parser.ParseOrderBy(), parser.ParseSelectAndExpand(), parser.ParseTop(), parser.ParseSkip(),
            parser.ParseCount() == true, parser.ParseSearch(), null);
        var rows = data.Of(collection).Select(d => new Entity(collection, d));
        if (apply is not null)
        {
            return new ApplyOracle(evaluator).Run(rows.Where(r => Keep(evaluator, options, r)), apply, options.OrderBy, options.Skip, options.Top, options.Count);
        }
        var (value, count) = Evaluate(evaluator, rows, options, nestedCap: null);
        var result = new JsonObject();
        if (count is not null)
        {
            result["@odata.count"] = count.Value;
        }
        result["value"] = value;
        return result;
    }

    private sealed record Level(FilterClause? Filter, OrderByClause? OrderBy, SelectExpandClause? SelectExpand, long? Top, long? Skip, bool Count,
        SearchClause? Search, LevelsClause? Levels);

    private static bool Keep(ExpressionEvaluator evaluator, Level options, Entity row)
    {
        var env = new Dictionary<string, object?> { ["$it"] = row };
        return (options.Filter is null || ExpressionEvaluator.IsTrue(evaluator.Eval(options.Filter.Expression, env)))
               && (options.Search is null || Search(options.Search.Expression, row));
    }

    private (JsonArray Value, long? Count) Evaluate(ExpressionEvaluator evaluator, IEnumerable<Entity> source, Level options, long? nestedCap)
    {
        var rows = source.Where(r => Keep(evaluator, options, r)).ToList();
        var ordered = Order(evaluator, rows, options.OrderBy);
        IEnumerable<Entity> page = ordered.Skip((int)(options.Skip ?? 0));
        var take = options.Top ?? nestedCap;
        if (take is { } t)
        {
            page = page.Take((int)t);
        }
        var value = new JsonArray([.. page.Select(r => (JsonNode)Project(evaluator, r, options.SelectExpand))]);
        return (value, options.Count ? rows.Count : null);
    }

    public static List<Entity> Order(ExpressionEvaluator evaluator, List<Entity> rows, OrderByClause? orderBy)
    {
        var keys = new List<(SingleValueNode Expression, bool Descending)>();
        for (var o = orderBy; o is not null; o = o.ThenBy)
        {
            keys.Add((o.Expression, o.Direction == OrderByDirection.Descending));
        }
        var evaluated = rows.Select(r => (Row: r, Keys: keys.Select(k => evaluator.Eval(k.Expression, new Dictionary<string, object?> { ["$it"] = r })).ToList())).ToList();
        evaluated.Sort((a, b) =>
        {
            for (var i = 0; i < keys.Count; i++)
            {
                // Ascending: nulls first; descending: nulls last.
                var c = Values.CompareNullable(a.Keys[i], b.Keys[i]);
                if (c != 0)
                {
                    return keys[i].Descending ? -c : c;
                }
            }
            return Values.Compare(a.Row.Key, b.Row.Key);
        });
        return [.. evaluated.Select(e => e.Row)];
    }

    private JsonObject Project(ExpressionEvaluator evaluator, Entity row, SelectExpandClause? clause)
    {
        var result = new JsonObject();
        var selected = clause is null || clause.AllSelected ? null : clause.SelectedItems.OfType<PathSelectItem>().Select(Path).ToList();
        foreach (var (name, value) in row.Document)
        {
            if (value is null)
            {
                continue;
            }
            if (selected is null || selected.Any(p => p.Count == 1 && p[0] == name))
            {
                result[name] = value.DeepClone();
            }
            else if (selected.Where(p => p.Count > 1 && p[0] == name).ToList() is { Count: > 0 } paths && value is JsonObject inner)
            {
                var part = new JsonObject();
                foreach (var path in paths)
                {
                    if (inner[path[1]] is { } member)
                    {
                        part[path[1]] = member.DeepClone();
                    }
                }
                result[name] = part;
            }
        }
        foreach (var expand in clause?.SelectedItems.OfType<ExpandedNavigationSelectItem>() ?? [])
        {
            // $levels=max: as deep as the service's default MaxExpandDepth (4) allows from the first level.
            Expand(evaluator, row, expand, result, expand.LevelsOption is { IsMaxLevel: true } ? 4 : expand.LevelsOption?.Level ?? 1);
        }
        return result;
    }

    private void Expand(ExpressionEvaluator evaluator, Entity row, ExpandedNavigationSelectItem expand, JsonObject into, long levels)
    {
        var name = ((NavigationPropertySegment)expand.PathToNavigationProperty.LastSegment).NavigationProperty.Name;
        var nested = new Level(expand.FilterOption, expand.OrderByOption, expand.SelectAndExpand, expand.TopOption, expand.SkipOption,
            expand.CountOption == true, expand.SearchOption, null);
        if (row.Collection.References.Any(r => r.Navigation == name))
        {
            var target = evaluator.Navigate(row, name);
            var kept = target is not null && Keep(evaluator, nested, target) ? target : null;
            into[name] = kept is null ? null : ProjectLevel(evaluator, kept, expand, levels);
            return;
        }
        var children = evaluator.Children(row, name).Where(c => Keep(evaluator, nested, c)).ToList();
        var ordered = Order(evaluator, children, expand.OrderByOption).Skip((int)(expand.SkipOption ?? 0)).Take((int)(expand.TopOption ?? maxPageSize));
        if (nested.Count)
        {
            into[name + "@odata.count"] = (long)children.Count;
        }
        into[name] = new JsonArray([.. ordered.Select(c => (JsonNode)ProjectLevel(evaluator, c, expand, levels))]);
    }

    private JsonObject ProjectLevel(ExpressionEvaluator evaluator, Entity row, ExpandedNavigationSelectItem expand, long levels)
    {
        var projected = Project(evaluator, row, expand.SelectAndExpand);
        if (levels > 1)
        {
            Expand(evaluator, row, expand, projected, levels - 1);
        }
        return projected;
    }

    private static List<string> Path(PathSelectItem item) => [.. item.SelectedPath.Select(s => s switch
    {
        PropertySegment p => p.Property.Name,
        DynamicPathSegment d => d.Identifier,
        _ => s.Identifier,
    })];

    private static bool Search(SingleValueNode node, Entity row) => node switch
    {
        SearchTermNode term => row.Collection.AllFields.Where(f => f.Type == FieldType.String)
            .Any(f => row.Document[f.Name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Contains(term.Text, StringComparison.OrdinalIgnoreCase)),
        BinaryOperatorNode { OperatorKind: BinaryOperatorKind.And } and => Search(and.Left, row) && Search(and.Right, row),
        BinaryOperatorNode or => Search(or.Left, row) || Search(or.Right, row),
        UnaryOperatorNode not => !Search(not.Operand, row),
        _ => throw new NotSupportedException(node.Kind.ToString()),
    };
}
