using Lims.Collections;
using Lims.Validation;
using Microsoft.OData.UriParser;

namespace Lims.OData.Query;

/// <summary>The canonical functions of $filter, one family per method: strings, date-times, rounding.</summary>
public static class FunctionTranslator
{
    public static string Translate(FilterTranslator translator, SingleValueFunctionCallNode node)
    {
        var args = node.Parameters.OfType<SingleValueNode>().ToList();
        if (args.Count != node.Parameters.Count())
        {
            throw FilterTranslator.Unsupported($"The function {node.Name} with a collection argument");
        }
        return node.Name switch
        {
            "contains" or "startswith" or "endswith" or "length" or "indexof" or "substring" or "tolower" or "toupper" or "trim" or "concat"
                => Strings(translator, node.Name, [.. args.Select(a => translator.Operand(a, PrimitiveKind.String))], args),
            "year" or "month" or "day" or "hour" or "minute" or "second" or "fractionalseconds" or "date" or "time"
                => DateParts(translator, node.Name, translator.Operand(args[0], PrimitiveKind.DateTime)),
            "now" => translator.Sql.Parameter(DocumentNormalizer.FormatTime(translator.Context.Clock.GetUtcNow())),
            "round" or "floor" or "ceiling" => Rounding(translator, node.Name, translator.Operand(args[0], PrimitiveKind.Float)),
            _ => throw FilterTranslator.Unsupported($"The function {node.Name}()"),
        };
    }

    private static string Strings(FilterTranslator translator, string name, IReadOnlyList<string> a, IReadOnlyList<SingleValueNode> args)
    {
        var dialect = translator.Sql.Dialect;
        return name switch
        {
            "contains" => dialect.Contains(a[0], a[1]),
            "startswith" => dialect.StartsWith(a[0], a[1]),
            "endswith" => dialect.EndsWith(a[0], a[1]),
            "length" => $"length({a[0]})",
            "indexof" => $"({dialect.Position(a[0], a[1])} - 1)",
            // OData counts from 0, SQL from 1; the start and length are integers, not strings.
            "substring" when args.Count == 2 => $"substr({a[0]}, CAST({translator.Operand(args[1], PrimitiveKind.Int)} + 1 AS INTEGER))",
            "substring" => $"substr({a[0]}, CAST({translator.Operand(args[1], PrimitiveKind.Int)} + 1 AS INTEGER), CAST({translator.Operand(args[2], PrimitiveKind.Int)} AS INTEGER))",
            "tolower" => $"lower({a[0]})",
            "toupper" => $"upper({a[0]})",
            "trim" => $"trim({a[0]})",
            "concat" => $"({a[0]} || {a[1]})",
            _ => throw FilterTranslator.Unsupported($"The function {name}()"),
        };
    }

    /// <summary>Date-times are fixed-width UTC text (<c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>), so every part is a substring.</summary>
    private static string DateParts(FilterTranslator translator, string name, string time)
    {
        var dialect = translator.Sql.Dialect;
        return name switch
        {
            "year" => dialect.ToInteger($"substr({time}, 1, 4)"),
            "month" => dialect.ToInteger($"substr({time}, 6, 2)"),
            "day" => dialect.ToInteger($"substr({time}, 9, 2)"),
            "hour" => dialect.ToInteger($"substr({time}, 12, 2)"),
            "minute" => dialect.ToInteger($"substr({time}, 15, 2)"),
            "second" => dialect.ToInteger($"substr({time}, 18, 2)"),
            "fractionalseconds" => dialect.ToFloat($"'0' || substr({time}, 20, 8)"),
            "date" => $"substr({time}, 1, 10)",
            "time" => $"substr({time}, 12, 16)",
            _ => throw FilterTranslator.Unsupported($"The function {name}()"),
        };
    }

    private static string Rounding(FilterTranslator translator, string name, string value)
    {
        var dialect = translator.Sql.Dialect;
        return name switch
        {
            "round" => dialect.Round(value),
            "floor" => dialect.Floor(value),
            _ => dialect.Ceiling(value),
        };
    }
}
