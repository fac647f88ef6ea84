namespace Lims.OData.Query;

/// <summary>
/// The one statement of a collection page (one row more than the page, to know whether a next page exists), with
/// the columns its rows are read from. $count is a statement of its own (<see cref="QueryPlan.CountSql"/>): a window
/// total beside the documents would make the database carry every matching document to count it.
/// </summary>
public sealed class PageStatement
{
    public EntityColumns Columns { get; }
    public string Sql { get; }

    public PageStatement(QueryPlan plan, int pageSize)
    {
        var table = plan.Collection.Table;
        var limit = $" LIMIT {plan.Sql.Parameter((long)pageSize + 1)} OFFSET {plan.Sql.Parameter(plan.Skip)}";
        if (plan.Skip == 0)
        {
            Columns = new EntityColumns(plan.Collection, QueryPlan.Alias, plan.Order.Select(o => o.Sql));
            Sql = $"SELECT {Columns.List} FROM {table} {QueryPlan.Alias}{plan.WhereClause}{plan.OrderByClause}{limit}";
            return;
        }
        // A deep $skip walks narrow rows (key and order values: an index alone when one matches) and joins the
        // documents of the kept page only, instead of reading and dropping every skipped document.
        var narrow = new SelectList();
        narrow.Add($"{QueryPlan.Alias}.id", "lims_id");
        var keys = new List<string>();
        for (var i = 0; i < plan.Order.Count; i++)
        {
            narrow.Add(plan.Order[i].Sql, $"lims_o{i}");
            keys.Add($"page.lims_o{i}");
        }
        Columns = new EntityColumns(plan.Collection, "d", keys);
        Sql = $"SELECT {Columns.List} FROM (SELECT {narrow} FROM {table} {QueryPlan.Alias}{plan.WhereClause}{plan.OrderByClause}{limit}) page " +
              $"JOIN {table} d ON d.id = page.lims_id ORDER BY {plan.OrderListOf(keys, "page.lims_id")}";
    }
}
