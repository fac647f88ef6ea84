namespace Lims.Tests.Infrastructure;

/// <summary>
/// A store loaded with the demo lab from seed/ at start-up; tests must only read it. Background jobs are off, so
/// the store keeps exactly what the seed files hold (the QC job would otherwise move the seeded acquired acquisition on).
/// </summary>
public abstract class SeededStoreFixture(StoreKind kind) : StoreFixture(kind)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:SeedWhenEmpty"] = "true",
        ["Seed:Directory"] = SeedFiles.Directory,
        ["Workflow:RunJobs"] = "false",
    };
}

public sealed class SeededSqliteStore() : SeededStoreFixture(StoreKind.Sqlite);

public sealed class SeededPostgresStore() : SeededStoreFixture(StoreKind.Postgres);
