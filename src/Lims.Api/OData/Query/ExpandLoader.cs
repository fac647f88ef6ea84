using System.Data.Common;
using Lims.Collections;

namespace Lims.OData.Query;

/// <summary>
/// Loads $expand results for a page of parent rows: one statement per expand and level, keyed by the parents' link
/// values (never one per row). Per-parent $top/$skip and $count come from window functions over the reference column.
/// </summary>
public static class ExpandLoader
{
    private const string ParentColumn = "lims_parent";

    public static async Task LoadAsync(DbConnection connection, CollectionDefinition parentCollection, IReadOnlyList<ResultRow> parents,
        IReadOnlyList<ExpandPlan> expands, ODataLimits limits, CancellationToken ct)
    {
        foreach (var expand in expands)
        {
            var keys = parents.Select(p => p.LinkValue(parentCollection, expand.ParentField)).OfType<object>().Distinct().ToList();
            var children = keys.Count == 0 ? [] : await QueryAsync(connection, expand, keys, limits, ct);
            var byParent = children.GroupBy(c => c.Parent).ToDictionary(g => g.Key, g => g.ToList());
            foreach (var parent in parents)
            {
                var link = parent.LinkValue(parentCollection, expand.ParentField);
                var found = link is not null && byParent.TryGetValue(link, out var rows) ? rows : [];
                parent.Expanded[expand.Navigation] = new ExpandedRows(expand, [.. found.Select(f => f.Row)], found.FirstOrDefault()?.Total ?? 0);
            }
            // The next level, for every child of this level at once.
            var all = children.Select(c => c.Row).ToList();
            if (all.Count > 0 && expand.Plan.Expands.Count > 0)
            {
                await LoadAsync(connection, expand.Target, all, expand.Plan.Expands, limits, ct);
            }
        }
    }

    private sealed record Child(object Parent, ResultRow Row, long Total);

    private static async Task<List<Child>> QueryAsync(DbConnection connection, ExpandPlan expand, List<object> keys, ODataLimits limits, CancellationToken ct)
    {
        var statement = Sql(expand, keys, limits);
        var sql = expand.Plan.Sql;
        var keyKind = KeyKind(expand.Target, expand.ChildField);
        await using var command = connection.CreateCommand();
        command.CommandText = statement;
        sql.Bind(command);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var children = new List<Child>();
        while (await reader.ReadAsync(ct))
        {
            var parent = keyKind == PrimitiveKind.Int ? Convert.ToInt64(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture) : (object)reader.GetString(3);
            children.Add(new Child(parent, ResultRow.Read(expand.Target, reader), Convert.ToInt64(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture)));
        }
        return children;
    }

    /// <summary>The one statement of an expand level for the given parent link values (adds the key list parameter to the plan).</summary>
    public static string Sql(ExpandPlan expand, IReadOnlyCollection<object> keys, ODataLimits limits)
    {
        var plan = expand.Plan;
        var sql = plan.Sql;
        var target = expand.Target;
        var linkColumn = PropertyAccess.Value(sql.Dialect, target, QueryPlan.Alias, [expand.ChildField], null);
        var keyKind = KeyKind(target, expand.ChildField);
        var conditions = plan.Conditions.Prepend(sql.Dialect.InList(linkColumn, sql.ListParameter([.. keys], keyKind)));
        var where = " WHERE " + string.Join(" AND ", conditions.Select(c => $"({c})"));
        var a = QueryPlan.Alias;
        string statement;
        if (expand.SingleValued)
        {
            statement = $"SELECT {a}.id, {a}.doc, {a}.row_version, {linkColumn}, 1 FROM {target.Table} {a}{where}";
        }
        else
        {
            // Without $top a parent's collection is bounded by the page size, like a top-level page.
            var take = Math.Min(plan.Top ?? limits.MaxPageSize, limits.MaxTop);
            // Rank narrow rows (key, link, order values) first and join the documents of the kept ranks only, so the
            // sort never carries whole documents; the per-parent total is computed only when $count asks for it.
            var total = plan.Count ? $"COUNT(*) OVER (PARTITION BY {linkColumn})" : "0";
            var inner = $"SELECT {a}.id AS lims_id, {linkColumn} AS {ParentColumn}, " +
                        $"ROW_NUMBER() OVER (PARTITION BY {linkColumn} ORDER BY {plan.OrderList}) AS lims_rn, " +
                        $"{total} AS lims_total FROM {target.Table} {a}{where}";
            statement = $"SELECT d.id, d.doc, d.row_version, ranked.{ParentColumn}, ranked.lims_total FROM ({inner}) ranked " +
                        $"JOIN {target.Table} d ON d.id = ranked.lims_id " +
                        $"WHERE ranked.lims_rn > {sql.Parameter(plan.Skip)} AND ranked.lims_rn <= {sql.Parameter(plan.Skip + take)} " +
                        $"ORDER BY ranked.{ParentColumn}, ranked.lims_rn";
        }
        return statement;
    }

    private static PrimitiveKind KeyKind(CollectionDefinition collection, string field) =>
        collection.Find(field)?.Type is PrimitiveType { Kind: PrimitiveKind.Int } ? PrimitiveKind.Int : PrimitiveKind.String;
}
