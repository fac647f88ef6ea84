using Lims.Collections;
using Lims.Errors;
using Lims.Storage;
using Microsoft.OData.UriParser;

namespace Lims.OData.Query;

/// <summary>
/// Walks a $filter (or any boolean/value) expression tree once and emits parameterised SQL.
/// Property paths resolve through <see cref="PathResolver"/>; each operator family has one small method.
/// </summary>
public sealed class FilterTranslator(SqlBuilder sql, PathResolver paths) : QueryNodeVisitor<string>
{
    private SqlDialect Dialect => sql.Dialect;

    public string Translate(QueryNode node) => node.Accept(this);

    public override string Visit(ConvertNode nodeIn) => nodeIn.Source.Accept(this);

    public override string Visit(ConstantNode nodeIn) =>
        nodeIn.Value is null ? "NULL" : sql.Parameter(SqlValues.From(nodeIn.Value));

    public override string Visit(SingleValuePropertyAccessNode nodeIn) => paths.Value(nodeIn);

    public override string Visit(SingleValueOpenPropertyAccessNode nodeIn) => paths.Value(nodeIn);

    public override string Visit(SingleComplexNode nodeIn) => paths.Fragment(nodeIn);

    public override string Visit(UnaryOperatorNode nodeIn) => nodeIn.OperatorKind switch
    {
        UnaryOperatorKind.Not => $"NOT ({nodeIn.Operand.Accept(this)})",
        UnaryOperatorKind.Negate => $"(-({nodeIn.Operand.Accept(this)}))",
        _ => throw Unsupported(nodeIn.OperatorKind.ToString()),
    };

    public override string Visit(BinaryOperatorNode nodeIn)
    {
        if (IsNull(nodeIn.Right) || IsNull(nodeIn.Left))
        {
            var other = IsNull(nodeIn.Right) ? nodeIn.Left : nodeIn.Right;
            return nodeIn.OperatorKind switch
            {
                BinaryOperatorKind.Equal => $"{other.Accept(this)} IS NULL",
                BinaryOperatorKind.NotEqual => $"{other.Accept(this)} IS NOT NULL",
                // Any other comparison with null is false in OData.
                _ => "1 = 0",
            };
        }
        var left = nodeIn.Left.Accept(this);
        var right = nodeIn.Right.Accept(this);
        return nodeIn.OperatorKind switch
        {
            BinaryOperatorKind.And => $"({left}) AND ({right})",
            BinaryOperatorKind.Or => $"({left}) OR ({right})",
            BinaryOperatorKind.Equal => $"{left} = {right}",
            BinaryOperatorKind.NotEqual => $"{left} IS DISTINCT FROM {right}",
            BinaryOperatorKind.GreaterThan => $"{left} > {right}",
            BinaryOperatorKind.GreaterThanOrEqual => $"{left} >= {right}",
            BinaryOperatorKind.LessThan => $"{left} < {right}",
            BinaryOperatorKind.LessThanOrEqual => $"{left} <= {right}",
            BinaryOperatorKind.Add => $"({left} + {right})",
            BinaryOperatorKind.Subtract => $"({left} - {right})",
            BinaryOperatorKind.Multiply => $"({left} * {right})",
            BinaryOperatorKind.Divide => $"({left} / {right})",
            BinaryOperatorKind.Modulo => $"({left} % {right})",
            _ => throw Unsupported(nodeIn.OperatorKind.ToString()),
        };
    }

    public override string Visit(InNode nodeIn)
    {
        var left = nodeIn.Left.Accept(this);
        if (nodeIn.Right is not CollectionConstantNode list)
        {
            throw Unsupported("'in' with a non-literal list");
        }
        var values = list.Collection.Select(c => SqlValues.From(c.Value)).OfType<object>().ToList();
        var kind = values.FirstOrDefault() switch { long => PrimitiveKind.Int, double => PrimitiveKind.Float, bool => PrimitiveKind.Bool, _ => PrimitiveKind.String };
        var inList = Dialect.InList(left, sql.ListParameter(values, kind));
        return list.Collection.Any(c => c.Value is null) ? $"({inList} OR {left} IS NULL)" : inList;
    }

    private static bool IsNull(SingleValueNode node) =>
        node is ConstantNode { Value: null } || (node is ConvertNode convert && IsNull(convert.Source));

    public static ApiException Unsupported(string what) =>
        ApiException.NotImplemented($"{what} is valid OData but not supported by Lims.");
}
