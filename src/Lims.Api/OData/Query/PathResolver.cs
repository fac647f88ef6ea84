using Lims.Collections;
using Lims.Errors;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace Lims.OData.Query;

/// <summary>
/// Resolves property access nodes to SQL: structured paths within the row's document, single-valued
/// navigation (<c>acquisition/status</c>) as a correlated sub-query on the referenced table's key, and the
/// range variables of <c>any</c>/<c>all</c> lambdas (an entity of another table, or an array element).
/// </summary>
public sealed class PathResolver(SqlBuilder sql, CollectionDefinition collection, string alias)
{
    private readonly Dictionary<string, RangeScope> _lambdas = new(StringComparer.Ordinal);

    public SqlBuilder Sql => sql;

    /// <summary>The collection the query ranges over.</summary>
    public CollectionDefinition Root => collection;

    /// <summary>Makes a lambda's range variable resolvable while its body is translated.</summary>
    public IDisposable Enter(string variable, RangeScope scope)
    {
        _lambdas[variable] = scope;
        return new Exit(() => _lambdas.Remove(variable));
    }

    public string Value(SingleValuePropertyAccessNode node, PrimitiveKind? kind = null)
    {
        var (scope, path, wrap) = Walk(node.Source, [node.Property.Name]);
        return wrap(scope.Value(sql.Dialect, path, scope.KindOf(path) ?? kind));
    }

    /// <summary>An open (undeclared) property; <paramref name="kind"/> is what it is compared with, so PostgreSQL can cast the text.</summary>
    public string Value(SingleValueOpenPropertyAccessNode node, PrimitiveKind? kind)
    {
        RejectUndeclared(node.Source, node.Name);
        var (scope, path, wrap) = Walk(node.Source, [node.Name]);
        return wrap(scope.Value(sql.Dialect, path, kind));
    }

    public string Value(NonResourceRangeVariableReferenceNode node, PrimitiveKind? kind) =>
        _lambdas.TryGetValue(node.Name, out var scope) && scope is ElementScope element
            ? sql.Dialect.ElementValue(element.Alias, element.Kind ?? kind)
            : throw ApiException.BadRequest($"Unknown range variable '{node.Name}'.");

    public string Fragment(SingleComplexNode node)
    {
        var (scope, path, wrap) = Walk(node.Source, [node.Property.Name]);
        return wrap(scope.Fragment(sql.Dialect, path));
    }

    /// <summary>The JSON array behind a complex or primitive collection property, with its enclosing wrap.</summary>
    public (string Array, Func<string, string> Wrap, FieldDefinition? Field) Collection(SingleValueNode source, string property)
    {
        var (scope, path, wrap) = Walk(source, [property]);
        return (scope.Fragment(sql.Dialect, path), wrap, scope.Field(path));
    }

    /// <summary>The table row a navigation collection starts from: its collection, alias and enclosing wrap.</summary>
    public (CollectionDefinition Collection, string Alias, Func<string, string> Wrap) Entity(SingleValueNode? source)
    {
        var (scope, _, wrap) = Walk(source, []);
        return scope is EntityScope entity
            ? (entity.Collection, entity.Alias, wrap)
            : throw ApiException.NotImplemented("A navigation from inside a structured value is not supported.");
    }

    /// <summary>
    /// Entity types are open so that extra keys survive a round trip, but an undeclared name at the top of a query
    /// is far more often a typo than a query on an extra key: answer 400 rather than an empty result.
    /// Dynamic keys inside structured values (hardware_settings/custom) remain queryable.
    /// </summary>
    public static void RejectUndeclared(SingleValueNode? source, string name)
    {
        if (source?.TypeReference is { Definition: IEdmEntityType } type)
        {
            throw ApiException.BadRequest($"Could not find a property named '{name}' on type '{type.FullName()}'.");
        }
    }

    private (RangeScope Scope, List<string> Path, Func<string, string> Wrap) Walk(SingleValueNode? source, List<string> path)
    {
        switch (source)
        {
            case ResourceRangeVariableReferenceNode variable when _lambdas.TryGetValue(variable.Name, out var scope):
                return (scope, path, e => e);
            case ResourceRangeVariableReferenceNode:
            case null:
                return (new EntityScope(collection, alias), path, e => e);
            case SingleComplexNode complex:
                path.Insert(0, complex.Property.Name);
                return Walk(complex.Source, path);
            case SingleValueOpenPropertyAccessNode open:
                RejectUndeclared(open.Source, open.Name);
                path.Insert(0, open.Name);
                return Walk(open.Source, path);
            case SingleNavigationNode navigation:
                var (parent, _, parentWrap) = Walk(navigation.Source, []);
                if (parent is not EntityScope parentEntity)
                {
                    throw ApiException.NotImplemented("A navigation from inside a structured value is not supported.");
                }
                var reference = parentEntity.Collection.References.FirstOrDefault(r => r.Navigation == navigation.NavigationProperty.Name)
                    ?? throw FilterTranslator.Unsupported($"Navigation '{navigation.NavigationProperty.Name}'");
                var target = Catalog.Get(reference.Target);
                var targetAlias = sql.NextAlias();
                var link = PropertyAccess.Value(sql.Dialect, parentEntity.Collection, parentEntity.Alias, [reference.Field], null);
                return (new EntityScope(target, targetAlias), path,
                    e => parentWrap($"(SELECT {e} FROM {target.Table} {targetAlias} WHERE {targetAlias}.id = {link})"));
            default:
                throw ApiException.NotImplemented($"A property path through {source.Kind} is not supported.");
        }
    }

    private sealed class Exit(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
