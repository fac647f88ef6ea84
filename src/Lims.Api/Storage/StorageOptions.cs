using System.ComponentModel.DataAnnotations;
using Lims.Settings;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Lims.Storage;

public enum StorageProvider { Sqlite, Postgres }

/// <summary>Configuration section <c>Storage</c> (environment <c>Storage__Provider</c>, <c>Storage__ConnectionString</c>).</summary>
public sealed class StorageOptions : IValidatableObject
{
    [Setting("`Sqlite` (embedded file) or `Postgres`")]
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    [Setting("SQLite or Npgsql connection string (e.g. `Host=db;Database=lims;Username=lims;Password=...`)", Default = "`Data Source=data/lims.db`", Secret = SecretKind.Password)]
    public string? ConnectionString { get; set; }

    [Setting("load the demo lab from `seed/` when the store is empty at start-up", Default = "`true` for SQLite, `false` for PostgreSQL")]
    public bool? SeedWhenEmpty { get; set; }

    public const string DefaultSqlitePath = "data/lims.db";

    public string EffectiveConnectionString => ConnectionString is { Length: > 0 } cs ? cs : $"Data Source={DefaultSqlitePath}";

    public bool EffectiveSeedWhenEmpty => SeedWhenEmpty ?? Provider == StorageProvider.Sqlite;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == StorageProvider.Postgres && ConnectionString is not { Length: > 0 })
        {
            yield return new ValidationResult("Storage:ConnectionString must be set when Storage:Provider is Postgres (e.g. Host=db;Database=lims;Username=lims;Password=...)");
            yield break;
        }
        if (ConnectionStringProblem() is { } problem)
        {
            // The parser's message names the keyword, never the password.
            yield return new ValidationResult($"Storage:ConnectionString is not a valid {Provider} connection string: {problem}");
        }
    }

    private string? ConnectionStringProblem()
    {
        try
        {
            _ = Provider == StorageProvider.Postgres
                ? new NpgsqlConnectionStringBuilder(EffectiveConnectionString).Host
                : new SqliteConnectionStringBuilder(EffectiveConnectionString).DataSource;
            return null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            return e.Message;
        }
    }
}
