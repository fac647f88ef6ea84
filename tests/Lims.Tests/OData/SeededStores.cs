using Lims.Tests.Infrastructure;

namespace Lims.Tests.OData;

/// <summary>A store loaded with the demo lab from seed/ (found by walking up from the test's directory), pages of 500 rows.</summary>
public abstract class SeededStore(StoreKind kind) : StoreFixture(kind)
{
    public const int PageSize = 500;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:SeedWhenEmpty"] = "true",
        ["Seed:Directory"] = Oracle.SeedDocuments.Directory,
        ["OData:MaxPageSize"] = PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

public sealed class SeededSqlite() : SeededStore(StoreKind.Sqlite);

public sealed class SeededPostgres() : SeededStore(StoreKind.Postgres);
