using System.Data;
using System.Data.Common;
using Lims.Collections;

namespace Lims.Storage;

/// <summary>
/// The document store: one table per collection, reached through one dialect. Writes run in a
/// transaction; reads open a plain connection.
/// </summary>
public sealed class DocumentStore(SqlDialect dialect, string connectionString)
{
    private readonly string _connectionString = dialect.WithDefaults(connectionString);

    public SqlDialect Dialect { get; } = dialect;

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = Dialect.CreateConnection(_connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>Creates missing tables, hot columns and indexes. Safe to run on every start, by several nodes at once.</summary>
    public async Task MigrateAsync(IEnumerable<CollectionDefinition> collections, IEnumerable<ISchemaContributor> contributors, CancellationToken ct)
    {
        await using (var connection = await OpenAsync(ct))
        {
            foreach (var statement in Dialect.Prepare())
            {
                await Execute(connection, null, statement, ct);
            }
        }
        await WriteAsync(async session =>
        {
            await session.ExecuteAsync(Dialect.TransactionLock("lims-migrate"), ct);
            foreach (var collection in collections)
            {
                await session.ExecuteAsync(Dialect.CreateTable(collection), ct);
                var existing = await session.ColumnsAsync(collection.Table, ct);
                foreach (var column in collection.Columns.Where(c => !existing.Contains(c.Name)))
                {
                    await session.ExecuteAsync(Dialect.AddColumn(collection, column), ct);
                }
                foreach (var index in Dialect.Indexes(collection))
                {
                    await session.ExecuteAsync(index, ct);
                }
            }
            foreach (var statement in contributors.SelectMany(c => c.Statements(Dialect)))
            {
                await session.ExecuteAsync(statement, ct);
            }
            return 0;
        }, ct);
    }

    // The transaction of a $batch change set, which every write of the requests in it joins.
    private readonly AsyncLocal<StoreSession?> _shared = new();

    /// <summary>Runs <paramref name="work"/> in one transaction, committed when it returns (or by the change set it is part of).</summary>
    public async Task<T> WriteAsync<T>(Func<StoreSession, Task<T>> work, CancellationToken ct)
    {
        if (_shared.Value is { } shared)
        {
            return await work(shared);
        }
        await using var connection = await OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        var result = await work(new StoreSession(Dialect, connection, transaction));
        await transaction.CommitAsync(ct);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="work"/> with every <see cref="WriteAsync{T}"/> it makes inside one transaction, committed
    /// only when the work returns true (a $batch change set: all or nothing).
    /// </summary>
    public async Task<bool> InOneTransactionAsync(Func<Task<bool>> work, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        _shared.Value = new StoreSession(Dialect, connection, transaction);
        try
        {
            if (!await work())
            {
                return false;
            }
            await transaction.CommitAsync(ct);
            return true;
        }
        finally
        {
            _shared.Value = null;
        }
    }

    /// <summary>Runs <paramref name="work"/> on a connection without a transaction.</summary>
    public async Task<T> ReadAsync<T>(Func<StoreSession, Task<T>> work, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await work(new StoreSession(Dialect, connection, null));
    }

    public async Task<bool> IsReachableAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = await OpenAsync(ct);
            await Execute(connection, null, "SELECT 1", ct);
            return true;
        }
        catch (DbException)
        {
            return false;
        }
    }

    private static async Task Execute(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}
