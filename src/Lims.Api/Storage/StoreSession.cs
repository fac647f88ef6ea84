using System.Data.Common;
using System.Text.Json.Nodes;
using Lims.Collections;

namespace Lims.Storage;

/// <summary>Document operations on one open connection, inside a transaction for writes.</summary>
public sealed class StoreSession(SqlDialect dialect, DbConnection connection, DbTransaction? transaction)
{
    public SqlDialect Dialect { get; } = dialect;
    public DbConnection Connection { get; } = connection;
    public DbTransaction? Transaction { get; } = transaction;

    public DbCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }
        return command;
    }

    public static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    public async Task<int> ExecuteAsync(string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<HashSet<string>> ColumnsAsync(string table, CancellationToken ct)
    {
        await using var command = Command(Dialect.ListColumns, ("@table", table));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var columns = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            columns.Add(reader.GetString(0));
        }
        return columns;
    }

    public async Task<StoredDocument?> GetAsync(CollectionDefinition collection, object key, CancellationToken ct)
    {
        await using var command = Command($"SELECT doc, row_version FROM {collection.Table} WHERE id = @id", ("@id", key));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <summary>Loads many documents by key in one statement.</summary>
    public async Task<Dictionary<object, StoredDocument>> GetManyAsync(CollectionDefinition collection, IReadOnlyCollection<object> keys, CancellationToken ct)
    {
        var found = new Dictionary<object, StoredDocument>();
        if (keys.Count == 0)
        {
            return found;
        }
        await using var command = Command($"SELECT doc, row_version, id FROM {collection.Table} WHERE {Dialect.InList("id", "@ids")}");
        Dialect.AddListParameter(command, "@ids", keys, SqlDialect.KindOf(collection.Key));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            found[KeyValue(collection, reader.GetValue(2))] = Read(reader);
        }
        return found;
    }

    public async Task InsertAsync(CollectionDefinition collection, object key, JsonObject document, CancellationToken ct) =>
        await ExecuteAsync(
            $"INSERT INTO {collection.Table} (id, doc, row_version) VALUES (@id, {Dialect.DocumentParameter("@doc")}, 1)", ct,
            ("@id", key), ("@doc", document.ToJsonString()));

    /// <summary>Compare-and-set: replaces the document only if its version is still <paramref name="expectedVersion"/>.</summary>
    public async Task<bool> UpdateAsync(CollectionDefinition collection, object key, JsonObject document, long expectedVersion, CancellationToken ct) =>
        await ExecuteAsync(
            $"UPDATE {collection.Table} SET doc = {Dialect.DocumentParameter("@doc")}, row_version = row_version + 1 " +
            "WHERE id = @id AND row_version = @version", ct,
            ("@id", key), ("@doc", document.ToJsonString()), ("@version", expectedVersion)) == 1;

    public async Task<bool> DeleteAsync(CollectionDefinition collection, object key, CancellationToken ct) =>
        await ExecuteAsync($"DELETE FROM {collection.Table} WHERE id = @id", ct, ("@id", key)) == 1;

    /// <summary>Keys of documents in <paramref name="source"/> whose <paramref name="field"/> holds <paramref name="key"/>.</summary>
    public async Task<List<object>> KeysReferencingAsync(CollectionDefinition source, string field, object key, int limit, CancellationToken ct)
    {
        await using var command = Command(
            $"SELECT id FROM {source.Table} WHERE {SqlDialect.Quote(field)} = @key ORDER BY id LIMIT {limit}", ("@key", key));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var keys = new List<object>();
        while (await reader.ReadAsync(ct))
        {
            keys.Add(KeyValue(source, reader.GetValue(0)));
        }
        return keys;
    }

    /// <summary>The next integer key (max + 1), under a lock so that concurrent creates do not collide.</summary>
    public async Task<long> NextIntegerKeyAsync(CollectionDefinition collection, CancellationToken ct)
    {
        await ExecuteAsync(Dialect.TransactionLock("lims-key-" + collection.Table), ct);
        await using var command = Command($"SELECT COALESCE(MAX(id), 0) + 1 FROM {collection.Table}");
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Keys of documents other than <paramref name="exceptKey"/> whose fields equal the given values.</summary>
    public async Task<object?> FindByFieldsAsync(CollectionDefinition collection, IReadOnlyList<(string Field, object Value)> values, object? exceptKey, CancellationToken ct)
    {
        var conditions = values.Select((v, i) => $"{SqlDialect.Quote(v.Field)} = @v{i}").ToList();
        var parameters = values.Select((v, i) => ($"@v{i}", (object?)v.Value)).ToList();
        if (exceptKey is not null)
        {
            conditions.Add("id <> @except");
            parameters.Add(("@except", exceptKey));
        }
        await using var command = Command($"SELECT id FROM {collection.Table} WHERE {string.Join(" AND ", conditions)} LIMIT 1", [.. parameters]);
        var found = await command.ExecuteScalarAsync(ct);
        return found is null or DBNull ? null : KeyValue(collection, found);
    }

    public static object KeyValue(CollectionDefinition collection, object raw) =>
        collection.HasIntegerKey ? Convert.ToInt64(raw, System.Globalization.CultureInfo.InvariantCulture) : (string)raw;

    private static StoredDocument Read(DbDataReader reader) =>
        new((JsonObject)JsonNode.Parse(reader.GetString(0))!, reader.GetInt64(1));
}
