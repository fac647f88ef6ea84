using Lims.Storage;

namespace Lims.Quality;

/// <summary>
/// The incrementally kept parts of quality reports. <c>quality_blocks</c> holds one summary per acquisition and
/// block of <see cref="QualityBlocks.Size"/> consecutive raster indexes; <c>quality_block_changes</c> lists the blocks
/// whose tiles were written since, in the writing transaction, so that a report recomputes only those.
/// </summary>
public sealed class QualityBlocksTable : ISchemaContributor
{
    public const string Blocks = "quality_blocks";
    public const string Changes = "quality_block_changes";

    public IEnumerable<string> Statements(SqlDialect dialect) =>
    [
        $"""
        CREATE TABLE IF NOT EXISTS {Blocks} (
            acquisition_id TEXT NOT NULL,
            block BIGINT NOT NULL,
            basis TEXT NOT NULL,
            summary TEXT NOT NULL,
            faults TEXT NOT NULL,
            focus_values {dialect.BytesType} NOT NULL,
            match_values {dialect.BytesType} NOT NULL,
            PRIMARY KEY (acquisition_id, block)
        )
        """,
        $"""
        CREATE TABLE IF NOT EXISTS {Changes} (
            acquisition_id TEXT NOT NULL,
            block BIGINT NOT NULL,
            PRIMARY KEY (acquisition_id, block)
        )
        """,
    ];
}
