using System.Text;
using Lims.Collections;
using Microsoft.OData.UriParser;

namespace Lims.OData.Query;

/// <summary>
/// $search: each term matches when any top-level string field of the collection contains it, ignoring case
/// (ILIKE on PostgreSQL, LIKE on SQLite); terms combine with AND, OR and NOT as the parser grouped them.
/// </summary>
public static class SearchTranslator
{
    public static string Translate(SqlBuilder sql, CollectionDefinition collection, SingleValueNode node) => node switch
    {
        SearchTermNode term => Term(sql, collection, term.Text),
        BinaryOperatorNode { OperatorKind: BinaryOperatorKind.And } and => $"({Translate(sql, collection, and.Left)}) AND ({Translate(sql, collection, and.Right)})",
        BinaryOperatorNode { OperatorKind: BinaryOperatorKind.Or } or => $"({Translate(sql, collection, or.Left)}) OR ({Translate(sql, collection, or.Right)})",
        UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Not } not => $"NOT ({Translate(sql, collection, not.Operand)})",
        _ => throw FilterTranslator.Unsupported($"A $search expression of kind {node.Kind}"),
    };

    /// <summary>The string fields a term is looked for in.</summary>
    public static IEnumerable<FieldDefinition> SearchedFields(CollectionDefinition collection) =>
        collection.AllFields.Where(f => f.Type == FieldType.String);

    private static string Term(SqlBuilder sql, CollectionDefinition collection, string text)
    {
        var pattern = sql.Parameter("%" + EscapeLike(text) + "%");
        // COALESCE: a missing field does not match, and NOT of a term stays two-valued.
        return string.Join(" OR ", SearchedFields(collection).Select(f =>
            $"COALESCE({sql.Dialect.LikeIgnoreCase(PropertyAccess.Value(sql.Dialect, collection, QueryPlan.Alias, [f.Name], PrimitiveKind.String), pattern)}, FALSE)"));
    }

    /// <summary>The user's % and _ are literal characters, not wildcards.</summary>
    public static string EscapeLike(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '%' or '_' or '\\')
            {
                builder.Append('\\');
            }
            builder.Append(c);
        }
        return builder.ToString();
    }
}
