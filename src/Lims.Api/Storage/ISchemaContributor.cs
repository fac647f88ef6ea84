namespace Lims.Storage;

/// <summary>A capability's own tables (job requests, audit, keys...): idempotent DDL run at start-up after the collections' tables.</summary>
public interface ISchemaContributor
{
    IEnumerable<string> Statements(SqlDialect dialect);
}
