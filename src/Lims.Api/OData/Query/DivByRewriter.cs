using System.Text;

namespace Lims.OData.Query;

/// <summary>
/// OData 4.01's <c>divby</c> (always a decimal division) is unknown to the 7.x parser. Before parsing, each
/// <c>a divby b</c> outside string literals becomes <c>a mul 1.0 div b</c>: same precedence and associativity, and the
/// 1.0 makes the division a floating one.
/// </summary>
public static class DivByRewriter
{
    private const string Operator = "divby";
    private const string Replacement = "mul 1.0 div";
    private static readonly string[] _expressionOptions = ["filter", "orderby", "apply", "expand", "compute", "select"];

    public static Uri Rewrite(Uri requestUri)
    {
        var query = requestUri.Query;
        if (!query.Contains(Operator, StringComparison.OrdinalIgnoreCase))
        {
            return requestUri;
        }
        var parts = query.TrimStart('?').Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var split = parts[i].IndexOf('=', StringComparison.Ordinal);
            if (split < 0)
            {
                continue;
            }
            var key = Decode(parts[i][..split]).TrimStart('$');
            if (!_expressionOptions.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }
            var value = Decode(parts[i][(split + 1)..]);
            var rewritten = RewriteExpression(value);
            if (!ReferenceEquals(rewritten, value))
            {
                parts[i] = parts[i][..split] + "=" + Uri.EscapeDataString(rewritten);
            }
        }
        var builder = new UriBuilder(requestUri) { Query = string.Join("&", parts) };
        return builder.Uri;
    }

    /// <summary>The expression with every <c>divby</c> token (not inside a quoted literal) replaced; the same instance when none.</summary>
    public static string RewriteExpression(string expression)
    {
        StringBuilder? result = null;
        var inString = false;
        var copied = 0;
        for (var i = 0; i < expression.Length; i++)
        {
            var c = expression[i];
            if (c == '\'')
            {
                inString = !inString; // a doubled quote toggles twice and stays inside
                continue;
            }
            if (inString || !IsTokenAt(expression, i))
            {
                continue;
            }
            result ??= new StringBuilder(expression.Length + 16);
            result.Append(expression, copied, i - copied).Append(Replacement);
            i += Operator.Length - 1;
            copied = i + 1;
        }
        return result is null ? expression : result.Append(expression, copied, expression.Length - copied).ToString();
    }

    private static bool IsTokenAt(string text, int i) =>
        string.Compare(text, i, Operator, 0, Operator.Length, StringComparison.Ordinal) == 0
        && (i == 0 || char.IsWhiteSpace(text[i - 1]) || text[i - 1] == ')')
        && i + Operator.Length < text.Length && char.IsWhiteSpace(text[i + Operator.Length]);

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
