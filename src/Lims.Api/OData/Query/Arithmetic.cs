using Lims.Collections;
using Lims.Storage;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace Lims.OData.Query;

/// <summary>
/// add, sub, mul, div, mod (divby arrives as <c>mul 1.0 div</c>, see <see cref="DivByRewriter"/>). <c>div</c> of two
/// integers truncates like OData's integer division; a division or modulo by zero yields null instead of a database error.
/// </summary>
public static class Arithmetic
{
    public static string Translate(SqlDialect dialect, BinaryOperatorNode node, string left, string right)
    {
        if (node.TypeReference?.Definition is IEdmPrimitiveType { PrimitiveKind: EdmPrimitiveTypeKind.DateTimeOffset or EdmPrimitiveTypeKind.Duration or EdmPrimitiveTypeKind.Date })
        {
            throw FilterTranslator.Unsupported("Date and duration arithmetic");
        }
        var floating = FilterTranslator.KindOf(node) is not PrimitiveKind.Int;
        return node.OperatorKind switch
        {
            BinaryOperatorKind.Add => $"({left} + {right})",
            BinaryOperatorKind.Subtract => $"({left} - {right})",
            BinaryOperatorKind.Multiply => $"({left} * {right})",
            BinaryOperatorKind.Divide when floating => $"({dialect.ToFloat(left)} / NULLIF({right}, 0))",
            BinaryOperatorKind.Divide => $"({left} / NULLIF({right}, 0))",
            BinaryOperatorKind.Modulo => dialect.Modulo(left, right, floating),
            _ => throw FilterTranslator.Unsupported($"The operator '{node.OperatorKind}'"),
        };
    }
}
