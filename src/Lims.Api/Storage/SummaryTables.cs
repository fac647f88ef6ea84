using Lims.Collections;

namespace Lims.Storage;

/// <summary>Creates the summary tables (and what keeps them) of the collections that declare one, where the store keeps summaries.</summary>
public sealed class SummaryTables : ISchemaContributor
{
    public IEnumerable<string> Statements(SqlDialect dialect) => Catalog.All.SelectMany(dialect.SummaryStatements);
}
