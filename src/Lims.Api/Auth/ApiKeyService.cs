using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lims.Collections;
using Lims.Collections.Definitions;
using Lims.Documents;
using Lims.Errors;
using Lims.Storage;
using Lims.Validation;
using Microsoft.Extensions.Options;

namespace Lims.Auth;

/// <summary>Who a valid key belongs to.</summary>
public sealed record ApiKeyIdentity(string Name, string Role);

/// <summary>
/// Creates, finds and revokes API keys. The <c>ApiKeys</c> document (name, role, state) goes through the ordinary
/// write path, so it is validated and audited; its hash goes to <see cref="ApiKeyHashesTable"/> in the same transaction.
/// </summary>
public sealed partial class ApiKeyService(DocumentService documents, TimeProvider time, IOptions<AuthOptions> options)
{
    public const string BootstrapName = "bootstrap-admin";
    private const int ListLimit = 1000;

    private readonly ConcurrentDictionary<string, (ApiKeyIdentity Identity, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    private static CollectionDefinition Keys => ApiKeys.Definition;
    private DocumentStore Store => documents.Store;

    /// <summary>The active key matching <paramref name="key"/>, or null when it is unknown or revoked.</summary>
    public async Task<ApiKeyIdentity?> FindAsync(string key, CancellationToken ct)
    {
        if (key.Length is 0 or > ApiKeySecrets.MaxLength)
        {
            return null;
        }
        // The lookup is by the hash of a 256-bit secret, so its timing tells an attacker nothing about stored keys.
        var hash = ApiKeySecrets.Hash(key);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && cached.Expires > now)
        {
            return cached.Identity;
        }
        var found = await Store.ReadAsync(async session =>
        {
            await using var command = session.Command(
                $"SELECT h.hash, k.id, k.{SqlDialect.Quote("role")} FROM {ApiKeyHashesTable.Table} h JOIN {Keys.Table} k ON k.id = h.name " +
                $"WHERE h.hash = @hash AND k.{SqlDialect.Quote("revoked_at")} IS NULL", ("@hash", hash));
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) && ApiKeySecrets.HashesEqual(reader.GetString(0), hash)
                ? new ApiKeyIdentity(reader.GetString(1), reader.GetString(2))
                : null;
        }, ct);
        if (found is not null && options.Value.KeyCacheSeconds > 0)
        {
            _cache[hash] = (found, now.AddSeconds(options.Value.KeyCacheSeconds));
        }
        else if (found is null)
        {
            _cache.TryRemove(hash, out _);
        }
        return found;
    }

    /// <summary>Creates a key and returns its document and the key itself, which is not stored and cannot be shown again.</summary>
    public async Task<(StoredDocument Document, string Key)> CreateAsync(string name, string role, string actor, CancellationToken ct)
    {
        CheckName(name);
        CheckRole(role);
        var key = ApiKeySecrets.NewKey();
        var stored = await WriteAsync(async session =>
        {
            var created = await InsertAsync(session, name, role, key, actor, ct);
            return created;
        }, ct);
        return (stored, key);
    }

    /// <summary>Revokes a key at once; revoking a revoked key changes nothing. The document stays, for the audit trail.</summary>
    public async Task<StoredDocument> RevokeAsync(string name, string actor, CancellationToken ct)
    {
        var stored = await WriteAsync(async session =>
        {
            var current = await session.GetAsync(Keys, name, ct) ?? throw DocumentService.NotFound(Keys, name);
            if (current.Document["revoked_at"] is not null)
            {
                return current;
            }
            var revoked = await documents.UpdateInSessionAsync(session, Keys, name, null, new WriteOrigin(actor, WriteSource.Api), document =>
            {
                document["revoked_at"] = DocumentNormalizer.FormatTime(time.GetUtcNow());
                document["revoked_by"] = actor;
                return document;
            }, fillDefaults: false, ct);
            await session.ExecuteAsync($"DELETE FROM {ApiKeyHashesTable.Table} WHERE name = @name", ct, ("@name", name));
            return revoked;
        }, ct);
        Forget(name);
        return stored;
    }

    /// <summary>Makes <paramref name="key"/> the active admin key <see cref="BootstrapName"/>; changes nothing when it already is.</summary>
    public async Task EnsureBootstrapAsync(string key, CancellationToken ct)
    {
        if (key.Length > ApiKeySecrets.MaxLength)
        {
            throw new InvalidOperationException($"Auth:BootstrapAdminKey is longer than {ApiKeySecrets.MaxLength} characters.");
        }
        const string actor = "system";
        var hash = ApiKeySecrets.Hash(key);
        await WriteAsync(async session =>
        {
            await session.ExecuteAsync(Store.Dialect.TransactionLock("lims-api-keys"), ct);
            var existing = await session.GetAsync(Keys, BootstrapName, ct);
            if (existing is null)
            {
                await InsertAsync(session, BootstrapName, Roles.Admin, key, actor, ct);
                return 0;
            }
            if (existing.Document["role"]?.GetValue<string>() != Roles.Admin || existing.Document["revoked_at"] is not null)
            {
                await documents.UpdateInSessionAsync(session, Keys, BootstrapName, null, new WriteOrigin(actor, WriteSource.Api), document =>
                {
                    document["role"] = Roles.Admin;
                    document.Remove("revoked_at");
                    document.Remove("revoked_by");
                    return document;
                }, fillDefaults: false, ct);
            }
            await session.ExecuteAsync($"DELETE FROM {ApiKeyHashesTable.Table} WHERE name = @name AND hash <> @hash", ct, ("@name", BootstrapName), ("@hash", hash));
            await session.ExecuteAsync($"INSERT INTO {ApiKeyHashesTable.Table} (hash, name) VALUES (@hash, @name) ON CONFLICT (hash) DO NOTHING", ct,
                ("@hash", hash), ("@name", BootstrapName));
            return 0;
        }, ct);
        Forget(BootstrapName);
    }

    /// <summary>How many keys exist, revoked ones included.</summary>
    public Task<long> CountAsync(CancellationToken ct) => Store.ReadAsync(async session =>
    {
        await using var command = session.Command($"SELECT COUNT(*) FROM {Keys.Table}");
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }, ct);

    /// <summary>The key documents by name (at most <see cref="ListLimit"/>; there are a handful in practice).</summary>
    public Task<List<JsonObject>> ListAsync(CancellationToken ct) => Store.ReadAsync(async session =>
    {
        await using var command = session.Command($"SELECT doc FROM {Keys.Table} ORDER BY id LIMIT {ListLimit}");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var keys = new List<JsonObject>();
        while (await reader.ReadAsync(ct))
        {
            keys.Add((JsonObject)JsonNode.Parse(reader.GetString(0))!);
        }
        return keys;
    }, ct);

    private async Task<StoredDocument> InsertAsync(StoreSession session, string name, string role, string key, string actor, CancellationToken ct)
    {
        var document = new JsonObject { ["name"] = name, ["role"] = role, ["created_by"] = actor };
        if (key.StartsWith(ApiKeySecrets.Prefix, StringComparison.Ordinal))
        {
            document["key_prefix"] = ApiKeySecrets.Hint(key);
        }
        var created = await documents.CreateManyInSessionAsync(session, Keys, [document], new WriteOrigin(actor, WriteSource.Api), ct);
        await session.ExecuteAsync($"INSERT INTO {ApiKeyHashesTable.Table} (hash, name) VALUES (@hash, @name)", ct,
            ("@hash", ApiKeySecrets.Hash(key)), ("@name", name));
        return created[0];
    }

    private async Task<T> WriteAsync<T>(Func<StoreSession, Task<T>> work, CancellationToken ct)
    {
        try
        {
            return await Store.WriteAsync(work, ct);
        }
        catch (DbException e) when (Store.Dialect.IsUniqueViolation(e))
        {
            throw ApiException.Conflict("A key with this name or value exists already.");
        }
    }

    private void Forget(string name)
    {
        foreach (var entry in _cache.Where(e => e.Value.Identity.Name == name))
        {
            _cache.TryRemove(entry.Key, out _);
        }
    }

    public static void CheckName(string name)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw ApiException.BadRequest("A key name is 1 to 64 letters, digits, '.', '_', '-' or '@', starting with a letter or digit.",
                [new("InvalidValue", "name", "Use 1 to 64 letters, digits, '.', '_', '-' or '@'.")]);
        }
    }

    public static void CheckRole(string role)
    {
        if (!Roles.All.Contains(role))
        {
            throw ApiException.BadRequest($"'role' must be one of: {string.Join(", ", Roles.All)}.",
                [new("InvalidValue", "role", $"'role' must be one of: {string.Join(", ", Roles.All)}.")]);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")]
    private static partial Regex NamePattern();
}
