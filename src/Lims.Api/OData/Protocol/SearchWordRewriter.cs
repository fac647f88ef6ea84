using System.Text;

namespace Lims.OData.Protocol;

/// <summary>
/// OData 4.01 search words may hold digits and other non-letters (<c>$search=V1</c>, <c>$search=001</c>), but
/// ODataLib 8.4.4's search lexer still takes letters only. Before parsing, each such word becomes the phrase of
/// itself (<c>"V1"</c>), which the lexer accepts and which matches the same text.
/// </summary>
public static class SearchWordRewriter
{
    public static Uri Rewrite(Uri requestUri)
    {
        var query = requestUri.Query;
        if (!query.Contains("search=", StringComparison.OrdinalIgnoreCase))
        {
            return requestUri;
        }
        var parts = query.TrimStart('?').Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var split = parts[i].IndexOf('=', StringComparison.Ordinal);
            if (split < 0 || !Decode(parts[i][..split]).TrimStart('$').Equals("search", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var value = Decode(parts[i][(split + 1)..]);
            var rewritten = QuoteWords(value);
            if (rewritten != value)
            {
                parts[i] = parts[i][..split] + "=" + Uri.EscapeDataString(rewritten);
            }
        }
        return new UriBuilder(requestUri) { Query = string.Join("&", parts) }.Uri;
    }

    /// <summary>The search expression with every word that is not all letters (nor an operator) quoted as a phrase.</summary>
    public static string QuoteWords(string search)
    {
        var result = new StringBuilder(search.Length + 8);
        var i = 0;
        while (i < search.Length)
        {
            var c = search[i];
            if (c == '"')
            {
                // A phrase runs to the next unescaped quote and is copied as it is.
                var end = i + 1;
                while (end < search.Length && search[end] != '"')
                {
                    end += search[end] == '\\' ? 2 : 1;
                }
                end = Math.Min(end + 1, search.Length);
                result.Append(search, i, end - i);
                i = end;
            }
            else if (char.IsWhiteSpace(c) || c is '(' or ')')
            {
                result.Append(c);
                i++;
            }
            else
            {
                var end = i;
                while (end < search.Length && !char.IsWhiteSpace(search[end]) && search[end] is not ('(' or ')' or '"'))
                {
                    end++;
                }
                var word = search[i..end];
                var plain = word is "AND" or "OR" or "NOT" || word.All(char.IsLetter) || word.StartsWith('-');
                result.Append(plain ? word : $"\"{word.Replace("\\", "\\\\", StringComparison.Ordinal)}\"");
                i = end;
            }
        }
        return result.ToString();
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
