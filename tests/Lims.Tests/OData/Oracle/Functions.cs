using System.Globalization;

namespace Lims.Tests.OData.Oracle;

/// <summary>The canonical functions over oracle values; any null argument makes the result null.</summary>
public static class Functions
{
    public static object? Call(string name, IReadOnlyList<object?> args)
    {
        if (args.Any(a => a is null))
        {
            return null;
        }
        return name switch
        {
            "contains" => S(args[0]).Contains(S(args[1]), StringComparison.Ordinal),
            "startswith" => S(args[0]).StartsWith(S(args[1]), StringComparison.Ordinal),
            "endswith" => S(args[0]).EndsWith(S(args[1]), StringComparison.Ordinal),
            "length" => (long)S(args[0]).Length,
            "indexof" => (long)S(args[0]).IndexOf(S(args[1]), StringComparison.Ordinal),
            "substring" => Substring(S(args[0]), (long)args[1]!, args.Count > 2 ? (long)args[2]! : null),
            "tolower" => S(args[0]).ToLowerInvariant(),
            "toupper" => S(args[0]).ToUpperInvariant(),
            "trim" => S(args[0]).Trim(' '),
            "concat" => S(args[0]) + S(args[1]),
            "year" => Part(args[0], 0, 4),
            "month" => Part(args[0], 5, 2),
            "day" => Part(args[0], 8, 2),
            "hour" => Part(args[0], 11, 2),
            "minute" => Part(args[0], 14, 2),
            "second" => Part(args[0], 17, 2),
            "date" => S(args[0])[..10],
            "time" => S(args[0]).Substring(11, 16),
            "round" => Math.Round(Values.ToDouble(args[0]!), MidpointRounding.AwayFromZero),
            "floor" => Math.Floor(Values.ToDouble(args[0]!)),
            "ceiling" => Math.Ceiling(Values.ToDouble(args[0]!)),
            _ => throw new NotSupportedException($"The oracle does not evaluate {name}()"),
        };
    }

    private static string S(object? value) => (string)value!;

    private static long Part(object? time, int start, int length) => long.Parse(S(time).AsSpan(start, length), CultureInfo.InvariantCulture);

    private static string Substring(string text, long start, long? length)
    {
        var from = (int)Math.Clamp(start, 0, text.Length);
        var count = length is { } n ? (int)Math.Clamp(n, 0, text.Length - from) : text.Length - from;
        return text.Substring(from, count);
    }
}
