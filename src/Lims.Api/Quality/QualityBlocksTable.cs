using Lims.Storage;

namespace Lims.Quality;

/// <summary>
/// The incrementally kept parts of quality reports. <c>quality_blocks</c> holds one summary per acquisition and
/// block of <see cref="QualityBlocks.Size"/> consecutive raster indexes; <c>quality_block_marks</c> lists the blocks
/// whose tiles were written since, in the writing transaction, so that a report recomputes only those.
/// Marks have no unique key on purpose: a report deletes the marks it reads and holds their row locks until it
/// commits, and with a key every writer marking one of those blocks again would wait for that whole report.
/// Duplicates are few (a handful per write) and the report reads them into a set.
/// </summary>
public sealed class QualityBlocksTable : ISchemaContributor
{
    public const string Blocks = "quality_blocks";
    public const string Marks = "quality_block_marks";

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
        CREATE TABLE IF NOT EXISTS {Marks} (
            acquisition_id TEXT NOT NULL,
            block BIGINT NOT NULL
        )
        """,
        $"CREATE INDEX IF NOT EXISTS ix_{Marks}_acquisition_id ON {Marks} (acquisition_id)",
        // The keyed table it replaces; blocks computed before are recomputed (QualityBlockRefresher's basis version).
        "DROP TABLE IF EXISTS quality_block_changes",
    ];
}
