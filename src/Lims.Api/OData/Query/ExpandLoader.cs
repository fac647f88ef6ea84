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

    /// <summary>An expand level's statement, the columns of its child rows, and where the parent link and per-parent total are.</summary>
    public sealed record Statement(string Sql, EntityColumns Columns, int Parent, int Total);

    private static async Task<List<Child>> QueryAsync(DbConnection connection, ExpandPlan expand, List<object> keys, ODataLimits limits, CancellationToken ct)
    {
        var statement = Sql(expand, keys, limits);
        var keyKind = KeyKind(expand.Target, expand.ChildField);
        await using var command = connection.CreateCommand();
        command.CommandText = statement.Sql;
        expand.Plan.Sql.Bind(command);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var children = new List<Child>();
        while (await reader.ReadAsync(ct))
        {
            var parent = keyKind == PrimitiveKind.Int ? EntityColumns.Int64(reader, statement.Parent) : (object)reader.GetString(statement.Parent);
            children.Add(new Child(parent, statement.Columns.Row(reader), EntityColumns.Int64(reader, statement.Total)));
        }
        return children;
    }

    /// <summary>The one statement of an expand level for the given parent link values (adds the key list parameter to the plan).</summary>
    public static Statement Sql(ExpandPlan expand, IReadOnlyCollection<object> keys, ODataLimits limits)
    {
        var plan = expand.Plan;
        var sql = plan.Sql;
        var target = expand.Target;
        var linkColumn = PropertyAccess.Value(sql.Dialect, target, QueryPlan.Alias, [expand.ChildField], null);
        var keyKind = KeyKind(target, expand.ChildField);
        var a = QueryPlan.Alias;
        // Without $top a parent's collection is bounded by the page size, like a top-level page.
        var take = Math.Min(plan.Top ?? limits.MaxPageSize, limits.MaxTop);
        if (!expand.SingleValued && sql.Dialect.HasLateralJoin)
        {
            return PerParent(expand, keys, linkColumn, keyKind, take);
        }
        var conditions = plan.Conditions.Prepend(sql.Dialect.InList(linkColumn, sql.ListParameter([.. keys], keyKind)));
        var where = " WHERE " + string.Join(" AND ", conditions.Select(c => $"({c})"));
        if (expand.SingleValued)
        {
            var single = new EntityColumns(target, a, []);
            var link = single.List.Add(linkColumn);
            var one = single.List.Add("1");
            return new Statement($"SELECT {single.List} FROM {target.Table} {a}{where}", single, link, one);
        }
        // Rank narrow rows (key, link, order values) first and join the documents of the kept ranks only, so the
        // sort never carries whole documents; the per-parent total is computed only when $count asks for it.
        var total = plan.Count ? $"COUNT(*) OVER (PARTITION BY {linkColumn})" : "0";
        var inner = $"SELECT {a}.id AS lims_id, {linkColumn} AS {ParentColumn}, " +
                    $"ROW_NUMBER() OVER (PARTITION BY {linkColumn} ORDER BY {plan.OrderList}) AS lims_rn, " +
                    $"{total} AS lims_total FROM {target.Table} {a}{where}";
        var columns = new EntityColumns(target, "d", []);
        var parent = columns.List.Add($"ranked.{ParentColumn}");
        var totalColumn = columns.List.Add("ranked.lims_total");
        return new Statement(
            $"SELECT {columns.List} FROM ({inner}) ranked JOIN {target.Table} d ON d.id = ranked.lims_id " +
            $"WHERE ranked.lims_rn > {sql.Parameter(plan.Skip)} AND ranked.lims_rn <= {sql.Parameter(plan.Skip + take)} " +
            $"ORDER BY ranked.{ParentColumn}, ranked.lims_rn",
            columns, parent, totalColumn);
    }

    /// <summary>
    /// Each parent's page as its own ordered, limited sub-query (a lateral join): with an index on (link, order key)
    /// it reads only the kept rows, where ranking every child of the parents would read them all.
    /// </summary>
    private static Statement PerParent(ExpandPlan expand, IReadOnlyCollection<object> keys, string linkColumn, PrimitiveKind keyKind, long take)
    {
        var plan = expand.Plan;
        var sql = plan.Sql;
        var table = expand.Target.Table;
        var a = QueryPlan.Alias;
        var where = " WHERE " + string.Join(" AND ", plan.Conditions.Prepend($"{linkColumn} = k.value").Select(c => $"({c})"));
        var narrow = new SelectList();
        narrow.Add($"{a}.id");
        narrow.Add($"{a}.doc");
        narrow.Add($"{a}.row_version");
        var keysOut = new List<string>();
        for (var i = 0; i < plan.Order.Count; i++)
        {
            narrow.Add(plan.Order[i].Sql, $"lims_o{i}");
            keysOut.Add($"d.lims_o{i}");
        }
        var columns = new EntityColumns(expand.Target, "d", []);
        var parent = columns.List.Add("k.value");
        var total = columns.List.Add(plan.Count ? $"(SELECT COUNT(*) FROM {table} {a}{where})" : "0");
        var page = $"SELECT {narrow} FROM {table} {a}{where}{plan.OrderByClause} LIMIT {sql.Parameter(take)} OFFSET {sql.Parameter(plan.Skip)}";
        return new Statement(
            $"SELECT {columns.List} FROM ({sql.Dialect.ListValues(sql.ListParameter([.. keys], keyKind))}) k CROSS JOIN LATERAL ({page}) d " +
            $"ORDER BY k.value, {plan.OrderListOf(keysOut, "d.id")}",
            columns, parent, total);
    }

    private static PrimitiveKind KeyKind(CollectionDefinition collection, string field) =>
        collection.Find(field)?.Type is PrimitiveType { Kind: PrimitiveKind.Int } ? PrimitiveKind.Int : PrimitiveKind.String;
}
