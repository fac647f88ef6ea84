using Lims.Collections;
using Lims.Errors;
using Microsoft.OData.UriParser;

namespace Lims.OData.Query;

/// <summary>
/// One output column of a $apply result: a grouping property (at a path) or an aggregate (under its alias); and the
/// same column computed from the collection's summary, when the summary carries it.
/// </summary>
public sealed record ApplyColumn(IReadOnlyList<string> Path, string Sql, PrimitiveKind? Kind, bool IsGroup, string? SummarySql = null)
{
    public string Name => string.Join("/", Path);
}

/// <summary>
/// A $apply that groups or aggregates: the rows become one per group, with the grouping properties and the aggregates
/// as columns. Filters before the grouping are ordinary conditions of the plan.
/// </summary>
public sealed class ApplyPlan
{
    public List<ApplyColumn> Columns { get; } = [];
    public List<(int Column, bool Descending)> Order { get; } = [];

    public IEnumerable<ApplyColumn> Groups => Columns.Where(c => c.IsGroup);

    /// <summary>Answered from the collection's summary table: set only when the summarised answer is provably the scanned one.</summary>
    public bool FromSummary { get; set; }

    /// <summary>Orders by a grouping property or an aggregate alias, the only names a grouped row has.</summary>
    public void OrderBy(OrderByClause clause)
    {
        var name = clause.Expression switch
        {
            SingleValueOpenPropertyAccessNode open => open.Name,
            SingleValuePropertyAccessNode property => PathOf(property),
            _ => throw FilterTranslator.Unsupported("$orderby of an expression over a $apply result"),
        };
        var index = Columns.FindIndex(c => c.Name == name);
        if (index < 0)
        {
            throw ApiException.BadRequest($"$orderby names '{name}', which the $apply result does not have.");
        }
        Order.Add((index, clause.Direction == OrderByDirection.Descending));
    }

    private static string PathOf(SingleValuePropertyAccessNode node)
    {
        var parts = new List<string> { node.Property.Name };
        for (var source = node.Source; source is SingleComplexNode complex; source = complex.Source)
        {
            parts.Insert(0, complex.Property.Name);
        }
        return string.Join("/", parts);
    }

    /// <summary>The one SELECT of the grouped rows: where each output column is read, and the row total when asked.</summary>
    public ApplyStatement Select(QueryPlan plan, bool count, long? limit)
    {
        var list = new SelectList();
        var positions = Columns.Select((c, i) => list.Add(FromSummary ? c.SummarySql! : c.Sql, $"c{i}")).ToList();
        int? total = count ? list.Add("COUNT(*) OVER ()") : null;
        var groups = Groups.Select(c => FromSummary ? c.SummarySql! : c.Sql).ToList();
        // Summary rows whose tiles are all gone add nothing and must not make a group of their own.
        var from = FromSummary
            ? $"{SummaryDefinition.Table(plan.Collection)} {ApplyCompiler.SummaryAlias} WHERE {ApplyCompiler.SummaryAlias}.n > 0"
            : $"{plan.Collection.Table} {QueryPlan.Alias}{plan.WhereClause}";
        var order = Order.Select(o => $"c{o.Column} {(o.Descending ? "DESC NULLS LAST" : "ASC NULLS FIRST")}")
            .Concat(Columns.Select((c, i) => (c, i)).Where(x => x.c.IsGroup).Select(x => $"c{x.i} ASC NULLS FIRST"))
            .ToList();
        var sql = $"SELECT {list} FROM {from}" +
               (groups.Count > 0 ? " GROUP BY " + string.Join(", ", groups) : "") +
               (order.Count > 0 ? " ORDER BY " + string.Join(", ", order) : "") +
               (limit is { } l ? $" LIMIT {plan.Sql.Parameter(l)} OFFSET {plan.Sql.Parameter(plan.Skip)}" : "");
        return new ApplyStatement(sql, positions, total);
    }
}

/// <summary>A grouped statement: the position of each <see cref="ApplyPlan.Columns"/> entry, and of the row total when asked.</summary>
public sealed record ApplyStatement(string Sql, IReadOnlyList<int> Columns, int? Total);
