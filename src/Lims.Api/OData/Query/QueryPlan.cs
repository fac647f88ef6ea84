using Lims.Collections;

namespace Lims.OData.Query;

/// <summary>One ordering key: its SQL expression, direction, and how to read its value back for the skip token.</summary>
public sealed record OrderKey(string Sql, bool Descending, PrimitiveKind? Kind)
{
    /// <summary>The row's key: never null, so it needs no NULLS clause (one would keep PostgreSQL off the primary-key index).</summary>
    public bool IsKey => Sql == $"{QueryPlan.Alias}.id";

    /// <summary>
    /// OData orders nulls first ascending and last descending. PostgreSQL's default is the reverse, so nullable keys
    /// spell it out; indexes on nullable columns are built NULLS FIRST to serve both directions.
    /// </summary>
    public string Clause(string expression) =>
        $"{expression} {(Descending ? "DESC" : "ASC")}{(IsKey ? "" : Descending ? " NULLS LAST" : " NULLS FIRST")}";
}

/// <summary>What a collection request (or one $expand level) compiles to before it becomes one SELECT.</summary>
public sealed class QueryPlan(CollectionDefinition collection, SqlBuilder sql)
{
    public const string Alias = "t0";

    public CollectionDefinition Collection { get; } = collection;
    public SqlBuilder Sql { get; } = sql;
    public List<string> Conditions { get; } = [];
    public List<OrderKey> Order { get; } = [];
    public Projection? Select { get; set; }
    public List<ExpandPlan> Expands { get; } = [];
    public ApplyPlan? Apply { get; set; }
    public long? Top { get; set; }
    public long Skip { get; set; }
    public bool Count { get; set; }

    /// <summary>Counts the rows the plan yields: entities, or the groups of a $apply.</summary>
    public string CountSql => Apply is { } apply
        ? $"SELECT COUNT(*) FROM ({apply.Select(this, count: false, limit: null).Sql}) grouped"
        : $"SELECT COUNT(*) FROM {Collection.Table} {Alias}{WhereClause}";

    public string WhereClause => Conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", Conditions.Select(c => $"({c})"));

    /// <summary>Key last, so the order is total and keyset paging never skips or repeats a row.</summary>
    public string OrderByClause => " ORDER BY " + OrderList;

    public string OrderList => OrderListOf([.. Order.Select(o => o.Sql)], $"{Alias}.id");

    /// <summary>The order over other spellings of the same keys (the columns of a sub-query); the key closes it unless already ordered on.</summary>
    public string OrderListOf(IReadOnlyList<string> keys, string id) => string.Join(", ",
        Order.Select((o, i) => o.Clause(keys[i])).Concat(Order.Any(o => o.IsKey) ? [] : [$"{id} ASC"]));
}
