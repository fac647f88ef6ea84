namespace Lims.Tests.Infrastructure;

/// <summary>
/// A fact that needs PostgreSQL: skipped when it is unavailable, except on CI (CI=true),
/// where the test runs and fails with <see cref="PostgresServer"/>'s message.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() => Skip = PostgresServer.SkipReason;
}

/// <summary>The <see cref="PostgresFactAttribute"/> rule for theories.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute() => Skip = PostgresServer.SkipReason;
}
