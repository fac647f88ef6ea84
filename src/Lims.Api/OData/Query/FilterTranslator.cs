using Lims.Collections;
using Lims.Errors;
using Lims.Storage;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace Lims.OData.Query;

/// <summary>
/// Walks a $filter (or any boolean/value) expression tree once and emits parameterised SQL.
/// Property paths resolve through <see cref="PathResolver"/>; functions, lambdas and arithmetic each have a small
/// family class of their own.
/// </summary>
/// <remarks>
/// Null semantics: OData comparisons are two-valued (a comparison with null is false, its negation true), SQL's are
/// three-valued. Positive predicates are emitted as they are, so an indexed column stays usable; only a negation
/// folds unknown to false first (<c>NOT COALESCE(p, FALSE)</c>).
/// </remarks>
public sealed class FilterTranslator(SqlBuilder sql, PathResolver paths, QueryContext context) : QueryNodeVisitor<string>
{
    public SqlBuilder Sql => sql;
    public PathResolver Paths => paths;
    public QueryContext Context => context;
    private SqlDialect Dialect => sql.Dialect;

    public string Translate(QueryNode node)
    {
        try
        {
            return node.Accept(this);
        }
        catch (NotImplementedException)
        {
            throw Unsupported($"An expression of kind {node.Kind}");
        }
    }

    /// <summary>A value, told which primitive kind the other side of its comparison has (PostgreSQL casts JSON text by it).</summary>
    public string Operand(SingleValueNode node, PrimitiveKind? hint) => node switch
    {
        ConvertNode convert => Operand(convert.Source, hint ?? KindOf(convert)),
        SingleValueOpenPropertyAccessNode open => paths.Value(open, hint),
        SingleValuePropertyAccessNode property => paths.Value(property, hint),
        NonResourceRangeVariableReferenceNode element => paths.Value(element, hint),
        ParameterAliasNode alias => Operand(Alias(alias), hint),
        _ => Translate(node),
    };

    public override string Visit(ConvertNode nodeIn) => Operand(nodeIn.Source, KindOf(nodeIn));

    public override string Visit(ConstantNode nodeIn) =>
        nodeIn.Value is null ? "NULL" : sql.Parameter(SqlValues.From(nodeIn.Value));

    public override string Visit(SingleValuePropertyAccessNode nodeIn) => paths.Value(nodeIn);

    public override string Visit(SingleValueOpenPropertyAccessNode nodeIn) => paths.Value(nodeIn, null);

    public override string Visit(NonResourceRangeVariableReferenceNode nodeIn) => paths.Value(nodeIn, null);

    public override string Visit(SingleComplexNode nodeIn) => paths.Fragment(nodeIn);

    public override string Visit(ParameterAliasNode nodeIn) => Translate(Alias(nodeIn));

    public override string Visit(SingleValueFunctionCallNode nodeIn) => FunctionTranslator.Translate(this, nodeIn);

    public override string Visit(AnyNode nodeIn) => LambdaTranslator.Translate(this, nodeIn, all: false);

    public override string Visit(AllNode nodeIn) => LambdaTranslator.Translate(this, nodeIn, all: true);

    public override string Visit(CountNode nodeIn) => LambdaTranslator.Count(this, nodeIn);

    public override string Visit(UnaryOperatorNode nodeIn) => nodeIn.OperatorKind switch
    {
        UnaryOperatorKind.Not => Not(Translate(nodeIn.Operand)),
        UnaryOperatorKind.Negate => $"(-({Translate(nodeIn.Operand)}))",
        _ => throw Unsupported(nodeIn.OperatorKind.ToString()),
    };

    /// <summary>Negation under OData's two-valued logic: unknown (a comparison with null) counts as false first.</summary>
    public static string Not(string predicate) => $"NOT COALESCE(({predicate}), FALSE)";

    public override string Visit(BinaryOperatorNode nodeIn)
    {
        if (nodeIn.OperatorKind is BinaryOperatorKind.And or BinaryOperatorKind.Or)
        {
            var op = nodeIn.OperatorKind == BinaryOperatorKind.And ? "AND" : "OR";
            return $"({Translate(nodeIn.Left)}) {op} ({Translate(nodeIn.Right)})";
        }
        if (IsNull(nodeIn.Right) || IsNull(nodeIn.Left))
        {
            return NullComparison(nodeIn);
        }
        var left = Operand(nodeIn.Left, KindOf(nodeIn.Right));
        var right = Operand(nodeIn.Right, KindOf(nodeIn.Left));
        return nodeIn.OperatorKind switch
        {
            BinaryOperatorKind.Equal when IsConstant(nodeIn.Left) || IsConstant(nodeIn.Right) => $"{left} = {right}",
            // Two expressions that are both null are equal in OData.
            BinaryOperatorKind.Equal => $"{left} IS NOT DISTINCT FROM {right}",
            BinaryOperatorKind.NotEqual => $"{left} IS DISTINCT FROM {right}",
            BinaryOperatorKind.GreaterThan => $"{left} > {right}",
            BinaryOperatorKind.GreaterThanOrEqual => $"{left} >= {right}",
            BinaryOperatorKind.LessThan => $"{left} < {right}",
            BinaryOperatorKind.LessThanOrEqual => $"{left} <= {right}",
            _ => Arithmetic.Translate(Dialect, nodeIn, left, right),
        };
    }

    private string NullComparison(BinaryOperatorNode node)
    {
        var other = IsNull(node.Right) ? node.Left : node.Right;
        if (IsNull(other))
        {
            return node.OperatorKind == BinaryOperatorKind.Equal ? "1 = 1" : "1 = 0";
        }
        return node.OperatorKind switch
        {
            BinaryOperatorKind.Equal => $"{Operand(other, null)} IS NULL",
            BinaryOperatorKind.NotEqual => $"{Operand(other, null)} IS NOT NULL",
            // Any other comparison with null is false in OData, and arithmetic with null is null.
            BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide or BinaryOperatorKind.Modulo => "NULL",
            _ => "1 = 0",
        };
    }

    public override string Visit(InNode nodeIn)
    {
        var list = nodeIn.Right as CollectionConstantNode
            ?? (nodeIn.Right is CollectionPropertyAccessNode or CollectionComplexNode ? null : throw Unsupported("'in' with a non-literal list"));
        if (list is null)
        {
            throw Unsupported("'in' with a collection property");
        }
        var values = list.Collection.Select(c => SqlValues.From(c.Value)).OfType<object>().ToList();
        var kind = values.FirstOrDefault() switch { long => PrimitiveKind.Int, double => PrimitiveKind.Float, bool => PrimitiveKind.Bool, _ => PrimitiveKind.String };
        var left = Operand(nodeIn.Left, kind);
        var inList = Dialect.InList(left, sql.ListParameter(values, kind));
        return list.Collection.Any(c => c.Value is null) ? $"({inList} OR {left} IS NULL)" : inList;
    }

    private SingleValueNode Alias(ParameterAliasNode node) =>
        context.Aliases.TryGetValue(node.Alias, out var value) && value is not null
            ? value
            : throw ApiException.BadRequest($"The parameter alias {node.Alias} has no value.");

    private static bool IsConstant(SingleValueNode node) => node is ConstantNode || (node is ConvertNode convert && IsConstant(convert.Source));

    private static bool IsNull(SingleValueNode node) =>
        node is ConstantNode { Value: null } || (node is ConvertNode convert && IsNull(convert.Source));

    /// <summary>The primitive kind of a node's EDM type, or null when untyped (open properties, null).</summary>
    public static PrimitiveKind? KindOf(SingleValueNode node) =>
        node.TypeReference?.Definition is IEdmPrimitiveType primitive ? QueryCompiler.KindOf(primitive) : null;

    public static ApiException Unsupported(string what) =>
        ApiException.NotImplemented($"{what} is valid OData but not supported by Lims.");
}
