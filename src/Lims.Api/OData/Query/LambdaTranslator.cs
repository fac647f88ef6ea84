using Lims.Collections;
using Lims.Errors;
using Lims.Storage;
using Microsoft.OData.UriParser;

namespace Lims.OData.Query;

/// <summary>
/// <c>any</c>/<c>all</c> and <c>/$count</c> over the three kinds of collection: navigation (an EXISTS on the other
/// table's indexed reference column), structured lists and primitive lists (the JSON array taken apart by the dialect).
/// </summary>
public static class LambdaTranslator
{
    public static string Translate(FilterTranslator translator, LambdaNode node, bool all)
    {
        var source = Source(translator, node.Source);
        string? body;
        using (translator.Paths.Enter(node.CurrentRangeVariable?.Name ?? "$none", source.Scope))
        {
            body = node.Body is null or ConstantNode { Value: true } ? null : translator.Translate(node.Body);
        }
        var where = source.Link is null ? [] : new List<string> { source.Link };
        if (all)
        {
            // Every element satisfies the body: no element fails it (an element whose test is unknown fails).
            where.Add(FilterTranslator.Not(body ?? "1 = 1"));
            return source.Wrap($"NOT EXISTS (SELECT 1 FROM {source.From}{Where(where)})");
        }
        if (body is not null)
        {
            where.Add($"({body})");
        }
        return source.Wrap($"EXISTS (SELECT 1 FROM {source.From}{Where(where)})");
    }

    public static string Count(FilterTranslator translator, CountNode node)
    {
        var source = Source(translator, node.Source);
        var where = source.Link is null ? "" : $" WHERE {source.Link}";
        return source.Wrap($"(SELECT COUNT(*) FROM {source.From}{where})");
    }

    private static string Where(List<string> conditions) => conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);

    private sealed record Rows(string From, string? Link, RangeScope Scope, Func<string, string> Wrap);

    private static Rows Source(FilterTranslator translator, CollectionNode node)
    {
        var sql = translator.Sql;
        switch (node)
        {
            case CollectionNavigationNode navigation:
                {
                    var (parent, parentAlias, wrap) = translator.Paths.Entity(navigation.Source);
                    var (child, reference) = Catalog.ReferencesTo(parent)
                        .FirstOrDefault(r => r.Reference.ReverseNavigation == navigation.NavigationProperty.Name);
                    if (child is null)
                    {
                        throw FilterTranslator.Unsupported($"The navigation '{navigation.NavigationProperty.Name}'");
                    }
                    var alias = sql.NextAlias();
                    return new Rows($"{child.Table} {alias}", $"{alias}.{SqlDialect.Quote(reference.Field)} = {parentAlias}.id", new EntityScope(child, alias), wrap);
                }
            case CollectionComplexNode complex:
                {
                    var (array, wrap, field) = translator.Paths.Collection(complex.Source, complex.Property.Name);
                    var element = field?.Type is ListType { Element: ComplexType c } ? c.Definition : null;
                    var alias = sql.NextAlias();
                    return new Rows(sql.Dialect.ArrayElements(array, alias, primitive: false), null, new ElementScope(alias, element, null), wrap);
                }
            case CollectionPropertyAccessNode primitive:
                {
                    var (array, wrap, field) = translator.Paths.Collection(primitive.Source, primitive.Property.Name);
                    var kind = field?.Type is ListType { Element: PrimitiveType p } ? p.Kind : (PrimitiveKind?)null;
                    var alias = sql.NextAlias();
                    return new Rows(sql.Dialect.ArrayElements(array, alias, primitive: true), null, new ElementScope(alias, null, kind), wrap);
                }
            default:
                throw ApiException.NotImplemented($"A lambda or count over {node.Kind} is valid OData but not supported by Lims.");
        }
    }
}
