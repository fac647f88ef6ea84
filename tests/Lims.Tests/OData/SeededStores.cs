using Lims.Tests.Infrastructure;

namespace Lims.Tests.OData;

/// <summary>The demo lab (read only), with pages of <see cref="PageSize"/> rows so that large answers are paged.</summary>
public abstract class PagedSeededStore(StoreKind kind) : SeededStoreFixture(kind)
{
    public const int PageSize = 500;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["OData:MaxPageSize"] = PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

public sealed class PagedSeededSqlite() : PagedSeededStore(StoreKind.Sqlite);

public sealed class PagedSeededPostgres() : PagedSeededStore(StoreKind.Postgres);
