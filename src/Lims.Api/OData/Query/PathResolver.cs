using Lims.Collections;
using Lims.Errors;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace Lims.OData.Query;

/// <summary>
/// Resolves property access nodes to SQL: structured paths within the row's document, and single-valued
/// navigation (<c>acquisition/status</c>) as a correlated sub-query on the referenced table's key.
/// </summary>
public sealed class PathResolver(SqlBuilder sql, CollectionDefinition collection, string alias)
{
    public string Value(SingleValuePropertyAccessNode node)
    {
        var (target, targetAlias, path, wrap) = Walk(node.Source, [node.Property.Name]);
        var expression = PropertyAccess.Value(sql.Dialect, target, targetAlias, path, PropertyAccess.KindOf(target, path));
        return wrap(expression);
    }

    public string Value(SingleValueOpenPropertyAccessNode node)
    {
        RejectUndeclared(node.Source, node.Name);
        var (target, targetAlias, path, wrap) = Walk(node.Source, [node.Name]);
        return wrap(sql.Dialect.JsonValue($"{targetAlias}.doc", path, kind: null));
    }

    public string Fragment(SingleComplexNode node)
    {
        var (target, targetAlias, path, wrap) = Walk(node.Source, [node.Property.Name]);
        _ = target;
        return wrap(sql.Dialect.JsonFragment($"{targetAlias}.doc", path));
    }

    /// <summary>
    /// Entity types are open so that extra keys survive a round trip, but an undeclared name at the top of a query
    /// is far more often a typo than a query on an extra key: answer 400 rather than an empty result.
    /// Dynamic keys inside structured values (hardware_settings/custom) remain queryable.
    /// </summary>
    public static void RejectUndeclared(SingleValueNode? source, string name)
    {
        if (source is ResourceRangeVariableReferenceNode { StructuredTypeReference: var type })
        {
            throw ApiException.BadRequest($"Could not find a property named '{name}' on type '{type.FullName()}'.");
        }
    }

    private (CollectionDefinition Collection, string Alias, List<string> Path, Func<string, string> Wrap) Walk(SingleValueNode? source, List<string> path)
    {
        switch (source)
        {
            case ResourceRangeVariableReferenceNode:
            case null:
                return (collection, alias, path, e => e);
            case SingleComplexNode complex:
                path.Insert(0, complex.Property.Name);
                return Walk(complex.Source, path);
            case SingleValueOpenPropertyAccessNode open:
                RejectUndeclared(open.Source, open.Name);
                path.Insert(0, open.Name);
                return Walk(open.Source, path);
            case SingleNavigationNode navigation:
                var (parent, parentAlias, _, parentWrap) = Walk(navigation.Source, []);
                var reference = parent.References.FirstOrDefault(r => r.Navigation == navigation.NavigationProperty.Name)
                    ?? throw FilterTranslator.Unsupported($"Navigation '{navigation.NavigationProperty.Name}'");
                var target = Catalog.Get(reference.Target);
                var targetAlias = sql.NextAlias();
                var link = PropertyAccess.Value(sql.Dialect, parent, parentAlias, [reference.Field], null);
                return (target, targetAlias, path,
                    e => parentWrap($"(SELECT {e} FROM {target.Table} {targetAlias} WHERE {targetAlias}.id = {link})"));
            default:
                throw ApiException.NotImplemented($"A property path through {source.Kind} is not supported.");
        }
    }
}
