namespace Lims.Tests.Infrastructure;

/// <summary>A store loaded with the demo lab from seed/ at start-up; tests must only read it.</summary>
public abstract class SeededStoreFixture(StoreKind kind) : StoreFixture(kind)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:SeedWhenEmpty"] = "true",
        ["Seed:Directory"] = SeedFiles.Directory,
    };
}

public sealed class SeededSqliteStore() : SeededStoreFixture(StoreKind.Sqlite);

public sealed class SeededPostgresStore() : SeededStoreFixture(StoreKind.Postgres);
