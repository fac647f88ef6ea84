using System.Text.Json.Nodes;
using Lims.Collections;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace Lims.Tests.OData.Oracle;

/// <summary>
/// Evaluates an OData expression tree over in-memory documents, following the OData rules directly: a comparison
/// with null is false (eq/ne excepted), arithmetic with null is null, not turns anything but true into true.
/// Independent of the SQL translation by design: it never looks at the service's compiler.
/// </summary>
public sealed class ExpressionEvaluator(SeedDocuments data, IDictionary<string, SingleValueNode> aliases)
{
    public object? Eval(QueryNode node, IReadOnlyDictionary<string, object?> env) => node switch
    {
        ConstantNode constant => Values.FromLiteral(constant.Value),
        ConvertNode convert => Convert(Eval(convert.Source, env), convert.TypeReference),
        ParameterAliasNode alias => Eval(aliases[alias.Alias], env),
        ResourceRangeVariableReferenceNode variable => env[variable.Name],
        NonResourceRangeVariableReferenceNode variable => env[variable.Name],
        SingleValuePropertyAccessNode property => Member(Eval(property.Source, env), property.Property.Name, KindOf(property.TypeReference)),
        SingleValueOpenPropertyAccessNode open => Member(Eval(open.Source, env), open.Name, null),
        SingleComplexNode complex => Member(Eval(complex.Source, env), complex.Property.Name, null),
        SingleNavigationNode navigation => Navigate(Eval(navigation.Source, env) as Entity, navigation.NavigationProperty.Name),
        BinaryOperatorNode binary => Binary(binary, env),
        UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Not } not => !IsTrue(Eval(not.Operand, env)),
        UnaryOperatorNode negate => Eval(negate.Operand, env) switch { null => null, long l => -l, var v => -Values.ToDouble(v) },
        InNode @in => In(@in, env),
        SingleValueFunctionCallNode call => Functions.Call(call.Name, [.. call.Parameters.Select(p => Eval(p, env))]),
        AnyNode any => Elements(any.Source, env).Any(e => any.Body is null || IsTrue(Eval(any.Body, With(env, any.CurrentRangeVariable?.Name ?? "$none", e)))),
        AllNode all => Elements(all.Source, env).All(e => IsTrue(Eval(all.Body, With(env, all.CurrentRangeVariable?.Name ?? "$none", e)))),
        CountNode count => (long)Elements(count.Source, env).Count(),
        _ => throw new NotSupportedException($"The oracle does not evaluate {node.Kind}"),
    };

    public static bool IsTrue(object? value) => value is true;

    public IEnumerable<object?> Elements(CollectionNode node, IReadOnlyDictionary<string, object?> env) => node switch
    {
        CollectionNavigationNode navigation => Children(Eval(navigation.Source, env) as Entity, navigation.NavigationProperty.Name),
        CollectionComplexNode complex => Member(Eval(complex.Source, env), complex.Property.Name, null) is JsonArray array ? array.Select(e => (object?)e) : [],
        CollectionPropertyAccessNode list => Member(Eval(list.Source, env), list.Property.Name, null) is JsonArray array
            ? array.Select(e => Values.FromJson(e, KindOf(list.ItemType)))
            : [],
        _ => throw new NotSupportedException($"The oracle does not evaluate collections of kind {node.Kind}"),
    };

    public IEnumerable<Entity> Children(Entity? parent, string navigation)
    {
        if (parent is null)
        {
            return [];
        }
        var (source, reference) = Catalog.ReferencesTo(parent.Collection).First(r => r.Reference.ReverseNavigation == navigation);
        return data.Of(source).Where(d => Values.Equal(Values.FromJson(d[reference.Field], null), parent.Key)).Select(d => new Entity(source, d));
    }

    public Entity? Navigate(Entity? source, string navigation)
    {
        if (source is null)
        {
            return null;
        }
        var reference = source.Collection.References.First(r => r.Navigation == navigation);
        var target = Catalog.Get(reference.Target);
        var key = Values.FromJson(source.Document[reference.Field], null);
        return key is null ? null : data.Of(target).Where(d => Values.Equal(Values.FromJson(d[target.Key.Name], null), key)).Select(d => new Entity(target, d)).FirstOrDefault();
    }

    private static object? Member(object? source, string name, EdmPrimitiveTypeKind? kind)
    {
        var obj = source switch
        {
            Entity entity => entity.Document,
            JsonObject json => json,
            _ => null,
        };
        return obj is null ? null : Values.FromJson(obj[name], kind);
    }

    private object? Binary(BinaryOperatorNode node, IReadOnlyDictionary<string, object?> env)
    {
        if (node.OperatorKind == BinaryOperatorKind.And)
        {
            return IsTrue(Eval(node.Left, env)) && IsTrue(Eval(node.Right, env));
        }
        if (node.OperatorKind == BinaryOperatorKind.Or)
        {
            return IsTrue(Eval(node.Left, env)) || IsTrue(Eval(node.Right, env));
        }
        var left = Eval(node.Left, env);
        var right = Eval(node.Right, env);
        switch (node.OperatorKind)
        {
            case BinaryOperatorKind.Equal:
                return Values.Equal(left, right);
            case BinaryOperatorKind.NotEqual:
                return !Values.Equal(left, right);
        }
        if (left is null || right is null)
        {
            return node.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply
                or BinaryOperatorKind.Divide or BinaryOperatorKind.Modulo ? null : false;
        }
        var integer = KindOf(node.TypeReference) == EdmPrimitiveTypeKind.Int64 && left is long && right is long;
        return node.OperatorKind switch
        {
            BinaryOperatorKind.GreaterThan => Values.Compare(left, right) > 0,
            BinaryOperatorKind.GreaterThanOrEqual => Values.Compare(left, right) >= 0,
            BinaryOperatorKind.LessThan => Values.Compare(left, right) < 0,
            BinaryOperatorKind.LessThanOrEqual => Values.Compare(left, right) <= 0,
            BinaryOperatorKind.Add when integer => (long)left + (long)right,
            BinaryOperatorKind.Subtract when integer => (long)left - (long)right,
            BinaryOperatorKind.Multiply when integer => (long)left * (long)right,
            BinaryOperatorKind.Divide when integer => (long)right == 0 ? null : (long)left / (long)right,
            BinaryOperatorKind.Modulo when integer => (long)right == 0 ? null : (long)left % (long)right,
            BinaryOperatorKind.Add => Values.ToDouble(left) + Values.ToDouble(right),
            BinaryOperatorKind.Subtract => Values.ToDouble(left) - Values.ToDouble(right),
            BinaryOperatorKind.Multiply => Values.ToDouble(left) * Values.ToDouble(right),
            BinaryOperatorKind.Divide => Values.ToDouble(right) == 0 ? null : Values.ToDouble(left) / Values.ToDouble(right),
            BinaryOperatorKind.Modulo => Values.ToDouble(right) == 0 ? null : Values.ToDouble(left) % Values.ToDouble(right),
            _ => throw new NotSupportedException($"The oracle does not evaluate {node.OperatorKind}"),
        };
    }

    private object? In(InNode node, IReadOnlyDictionary<string, object?> env)
    {
        var value = Eval(node.Left, env);
        var list = ((CollectionConstantNode)node.Right).Collection.Select(c => Values.FromLiteral(c.Value));
        return list.Any(item => Values.Equal(value, item));
    }

    private static object? Convert(object? value, IEdmTypeReference? type) =>
        value is long l && KindOf(type) is EdmPrimitiveTypeKind.Double or EdmPrimitiveTypeKind.Decimal or EdmPrimitiveTypeKind.Single ? (double)l : value;

    public static EdmPrimitiveTypeKind? KindOf(IEdmTypeReference? type) => type?.Definition switch
    {
        IEdmPrimitiveType { PrimitiveKind: EdmPrimitiveTypeKind.Int16 or EdmPrimitiveTypeKind.Int32 or EdmPrimitiveTypeKind.Int64 or EdmPrimitiveTypeKind.Byte } => EdmPrimitiveTypeKind.Int64,
        IEdmPrimitiveType { PrimitiveKind: EdmPrimitiveTypeKind.Decimal or EdmPrimitiveTypeKind.Single } => EdmPrimitiveTypeKind.Double,
        IEdmPrimitiveType primitive => primitive.PrimitiveKind,
        _ => null,
    };

    public static IReadOnlyDictionary<string, object?> With(IReadOnlyDictionary<string, object?> env, string name, object? value) =>
        new Dictionary<string, object?>(env) { [name] = value };
}
