using Lims.Collections;
using Lims.OData;
using Lims.OData.Query;
using Lims.Storage;

namespace Lims.Api;

/// <summary>Compiles a request's query options on a collection, narrowed by the path's own conditions (a key, a parent).</summary>
public static class QueryPlans
{
    public static QueryPlan Compile(
        ODataRequest request, CollectionDefinition collection, IReadOnlyList<Func<SqlBuilder, string>> scope, SqlDialect dialect, ODataLimits limits, TimeProvider clock)
    {
        var plan = QueryCompiler.Compile(request.Parser, collection, dialect, QueryContext.For(request, limits, clock));
        plan.Conditions.InsertRange(0, scope.Select(condition => condition(plan.Sql)));
        return plan;
    }
}
