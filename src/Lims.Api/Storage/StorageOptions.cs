namespace Lims.Storage;

public enum StorageProvider { Sqlite, Postgres }

/// <summary>Configuration section <c>Storage</c> (environment <c>Storage__Provider</c>, <c>Storage__ConnectionString</c>).</summary>
public sealed class StorageOptions
{
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Defaults to the embedded SQLite file <c>data/lims.db</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Load the demo lab from <c>seed/</c> when the store is empty at start-up. Defaults to on for SQLite, off for PostgreSQL.</summary>
    public bool? SeedWhenEmpty { get; set; }

    public const string DefaultSqlitePath = "data/lims.db";

    public string EffectiveConnectionString => ConnectionString is { Length: > 0 } cs ? cs : $"Data Source={DefaultSqlitePath}";

    public bool EffectiveSeedWhenEmpty => SeedWhenEmpty ?? Provider == StorageProvider.Sqlite;
}
