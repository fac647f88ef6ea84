using Lims.Storage;

namespace Lims.Auth;

/// <summary>Key hashes, apart from the <c>ApiKeys</c> documents so that no OData query can reach them.</summary>
public sealed class ApiKeyHashesTable : ISchemaContributor
{
    public const string Table = "api_key_hashes";

    public IEnumerable<string> Statements(SqlDialect dialect) =>
    [
        $"CREATE TABLE IF NOT EXISTS {Table} (hash TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL)",
        $"CREATE INDEX IF NOT EXISTS ix_{Table}_name ON {Table} (name)",
    ];
}
