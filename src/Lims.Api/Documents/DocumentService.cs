using System.Data.Common;
using System.Text.Json.Nodes;
using Lims.Collections;
using Lims.Errors;
using Lims.Limits;
using Lims.Storage;
using Lims.Validation;
using Microsoft.Extensions.Options;

namespace Lims.Documents;

/// <summary>
/// The one write pipeline of every document, whatever sends it (a POST, PATCH, PUT or DELETE, an array POST, a
/// bound action, a job, the seed loader; the bulk tile ingest runs the same validation per tile, see
/// <see cref="Ingest.TilePreparer"/>). Its stages, in order:
/// <list type="number">
/// <item>validate: every field by the collection's rules, then the string limits (<see cref="Validate"/>);</item>
/// <item>normalise: canonical values, defaults on create;</item>
/// <item>resolve: in the transaction, references exist, copied fields agree, keys and unique groups are free;</item>
/// <item>hooks: <see cref="WriteHooks.Order"/> (state machines and the jobs they request, roll-ups, then audit);</item>
/// <item>store: insert, compare-and-set update or delete, then commit.</item>
/// </list>
/// <see cref="WriteOrigin"/> travels with every call. The <c>…InSessionAsync</c> forms run inside a transaction the caller
/// owns, so several writes (an action and the writes it implies, a change set) commit or roll back together.
/// </summary>
public sealed class DocumentService(DocumentStore store, IEnumerable<IDocumentWriteHook> hooks, IOptions<LimitsOptions> limits, TimeProvider time)
{
    private const int GuardListLimit = 5;

    /// <summary>Attempts of a write that sent no If-Match and lost a compare-and-set race to another writer.</summary>
    private const int RaceAttempts = 5;

    /// <summary>The code of the 412 a compare-and-set answers when another writer changed the document meanwhile.</summary>
    public const string ChangedDuringWrite = "ChangedDuringWrite";

    private readonly IReadOnlyList<IDocumentWriteHook> _hooks = WriteHooks.Sort(hooks);

    public DocumentStore Store => store;

    public async Task<StoredDocument> CreateAsync(CollectionDefinition collection, JsonObject body, WriteOrigin origin, CancellationToken ct) =>
        (await CreateManyAsync(collection, [body], isBatch: false, origin, ct))[0];

    /// <summary>Creates all documents or none; duplicates in the batch or in the store are rejected before anything is written.</summary>
    public async Task<IReadOnlyList<StoredDocument>> CreateManyAsync(
        CollectionDefinition collection, IReadOnlyList<JsonObject> documents, bool isBatch, WriteOrigin origin, CancellationToken ct)
    {
        string Prefix(int i) => isBatch ? $"[{i}]/" : "";
        PrepareForCreate(collection, documents, Prefix, isBatch ? "The batch" : "The document");
        return await TransactAsync(session => InsertValidatedAsync(session, collection, documents, Prefix, origin, ct), collection, retryRaces: false, ct);
    }

    /// <summary>Creates documents inside a transaction the caller owns (the seed loader loads a whole lab in one).</summary>
    public async Task<IReadOnlyList<StoredDocument>> CreateManyInSessionAsync(
        StoreSession session, CollectionDefinition collection, IReadOnlyList<JsonObject> documents, WriteOrigin origin, CancellationToken ct)
    {
        static string Prefix(int i) => $"[{i}]/";
        PrepareForCreate(collection, documents, Prefix, "The batch");
        return await InsertValidatedAsync(session, collection, documents, Prefix, origin, ct);
    }

    /// <summary>
    /// The validation stage: the collection's field rules and the string limits, every problem of the document at
    /// once, targets prefixed with <paramref name="prefix"/>. The bulk ingest calls this per tile.
    /// </summary>
    public static List<ErrorDetail> Validate(CollectionDefinition collection, JsonObject document, LimitsOptions limits, string prefix = "")
    {
        var errors = DocumentValidator.Check(collection, document, prefix);
        errors.AddRange(StringLimits.Check(collection, document, limits, prefix));
        return errors;
    }

    /// <summary>
    /// Restores documents exported from another Lims inside the caller's transaction: every field and reference is
    /// checked as for a create, but server-set fields (timestamps, roll-ups) are kept and no write hook runs, because
    /// the package already holds the history and reports those hooks would otherwise write a second time.
    /// </summary>
    public async Task RestoreManyInSessionAsync(StoreSession session, CollectionDefinition collection, IReadOnlyList<JsonObject> documents, CancellationToken ct)
    {
        static string Prefix(int i) => $"[{i}]/";
        var serverSet = documents.Select(d => collection.AllFields.Where(f => f.ServerSet && d[f.Name] is not null)
            .Select(f => (f.Name, Value: d[f.Name]!.DeepClone())).ToList()).ToList();
        PrepareForCreate(collection, documents, Prefix, "The package");
        var keys = documents.Select(d => KeyOf(collection, d)).ToList();
        await ValidateAgainstStoreAsync(session, collection, documents, Prefix, keys, ct);
        for (var i = 0; i < documents.Count; i++)
        {
            foreach (var (name, value) in serverSet[i])
            {
                documents[i][name] = value;
            }
            await session.InsertAsync(collection, keys[i], documents[i], ct);
        }
    }

    /// <summary>What a create checks before it touches the store: every field, canonical form, keys unique in the batch.</summary>
    private void PrepareForCreate(CollectionDefinition collection, IReadOnlyList<JsonObject> documents, Func<int, string> prefix, string what)
    {
        var errors = documents.SelectMany((d, i) => Validate(collection, d, limits.Value, prefix(i))).ToList();
        DocumentValidator.ThrowIfInvalid(errors, what);
        foreach (var document in documents)
        {
            DocumentNormalizer.Normalize(collection, document, fillDefaults: true);
        }
        RejectDuplicateKeys(collection, documents, prefix);
    }

    private async Task<IReadOnlyList<StoredDocument>> InsertValidatedAsync(
        StoreSession session, CollectionDefinition collection, IReadOnlyList<JsonObject> documents, Func<int, string> prefix, WriteOrigin origin, CancellationToken ct)
    {
        await AssignKeysAsync(session, collection, documents, ct);
        var keys = documents.Select(d => KeyOf(collection, d)).ToList();
        var existing = await session.GetManyAsync(collection, keys, ct);
        if (existing.Count > 0)
        {
            throw ApiException.Conflict(
                $"{collection.EntitySet} already has {string.Join(", ", existing.Keys.Select(ReferenceResolver.FormatKey))}.",
                [.. existing.Keys.Select(k => new ErrorDetail("DuplicateKey", collection.Key.Name, $"{collection.EntitySet}({ReferenceResolver.FormatKey(k)}) exists."))]);
        }
        await ValidateAgainstStoreAsync(session, collection, documents, prefix, keys, ct);

        var now = Now();
        var created = new List<StoredDocument>(documents.Count);
        for (var i = 0; i < documents.Count; i++)
        {
            var document = documents[i];
            document[Timestamps.CreatedAt] = now;
            document[Timestamps.UpdatedAt] = now;
            var context = new WriteContext(session, collection, keys[i], null, document, origin);
            await RunHooksAsync(context, ct);
            await session.InsertAsync(collection, keys[i], context.After!, ct);
            created.Add(new StoredDocument(context.After!, 1));
        }
        return created;
    }

    public Task<StoredDocument> ReplaceAsync(CollectionDefinition collection, object key, JsonObject body, string? ifMatch, WriteOrigin origin, CancellationToken ct) =>
        UpdateAsync(collection, key, ifMatch, origin, _ => (JsonObject)body.DeepClone(), fillDefaults: true, ct);

    public Task<StoredDocument> PatchAsync(CollectionDefinition collection, object key, JsonObject patch, string? ifMatch, WriteOrigin origin, CancellationToken ct) =>
        UpdateAsync(collection, key, ifMatch, origin, current =>
        {
            var merged = (JsonObject)current.DeepClone();
            JsonMergePatch.Apply(merged, patch);
            return merged;
        }, fillDefaults: false, ct);

    /// <summary>
    /// Changes one stored document through <paramref name="change"/> (which returns the new document) with
    /// the same validation, hooks and compare-and-set as any update. Jobs and actions use this too. Without
    /// <paramref name="ifMatch"/>, a lost compare-and-set race is retried on the new current state.
    /// </summary>
    public async Task<StoredDocument> UpdateAsync(
        CollectionDefinition collection, object key, string? ifMatch, WriteOrigin origin, Func<JsonObject, JsonObject> change, bool fillDefaults, CancellationToken ct) =>
        await TransactAsync(session => UpdateInSessionAsync(session, collection, key, ifMatch, origin, change, fillDefaults, ct), collection, retryRaces: string.IsNullOrEmpty(ifMatch), ct);

    public async Task<StoredDocument> UpdateInSessionAsync(
        StoreSession session, CollectionDefinition collection, object key, string? ifMatch, WriteOrigin origin, Func<JsonObject, JsonObject> change, bool fillDefaults, CancellationToken ct)
    {
        var stored = await session.GetAsync(collection, key, ct) ?? throw NotFound(collection, key);
        ETags.Check(ifMatch, stored);
        var document = change((JsonObject)stored.Document.DeepClone());
        if (document[collection.Key.Name] is { } bodyKey && !JsonNode.DeepEquals(bodyKey, stored.Document[collection.Key.Name]))
        {
            throw ApiException.BadRequest($"'{collection.Key.Name}' cannot change: the URL names {ReferenceResolver.FormatKey(key)}.",
                [new("KeyMismatch", collection.Key.Name, $"'{collection.Key.Name}' must equal the key in the URL or be omitted.")]);
        }
        document[collection.Key.Name] = stored.Document[collection.Key.Name]?.DeepClone();
        DocumentValidator.ThrowIfInvalid(Validate(collection, document, limits.Value), "The document");
        DocumentNormalizer.Normalize(collection, document, fillDefaults);
        await ValidateAgainstStoreAsync(session, collection, [document], _ => "", [key], ct);

        // Server-set fields (timestamps, roll-ups) are never the client's: keep what is stored.
        foreach (var field in collection.AllFields.Where(f => f.ServerSet))
        {
            if (stored.Document[field.Name] is { } value)
            {
                document[field.Name] = value.DeepClone();
            }
            else
            {
                document.Remove(field.Name);
            }
        }
        document[Timestamps.UpdatedAt] = Now();
        var context = new WriteContext(session, collection, key, stored.Document, document, origin);
        await RunHooksAsync(context, ct);
        if (!await session.UpdateAsync(collection, key, context.After!, stored.Version, ct))
        {
            throw new ApiException(412, ChangedDuringWrite, $"{collection.EntitySet}({ReferenceResolver.FormatKey(key)}) changed while this write ran; reload and try again.");
        }
        return new StoredDocument(context.After!, stored.Version + 1);
    }

    /// <summary>Deletes a document; refused with 409 while others reference it, unless <paramref name="cascade"/>.</summary>
    public async Task DeleteAsync(CollectionDefinition collection, object key, string? ifMatch, bool cascade, WriteOrigin origin, CancellationToken ct) =>
        await TransactAsync(session => DeleteInSessionAsync(session, collection, key, ifMatch, cascade, origin, ct), collection, retryRaces: false, ct);

    public async Task<int> DeleteInSessionAsync(
        StoreSession session, CollectionDefinition collection, object key, string? ifMatch, bool cascade, WriteOrigin origin, CancellationToken ct)
    {
        var stored = await session.GetAsync(collection, key, ct) ?? throw NotFound(collection, key);
        ETags.Check(ifMatch, stored);
        await DeleteTreeAsync(session, collection, key, stored, cascade, origin, ct);
        return 0;
    }

    private async Task DeleteTreeAsync(
        StoreSession session, CollectionDefinition collection, object key, StoredDocument stored, bool cascade, WriteOrigin origin, CancellationToken ct)
    {
        foreach (var (source, reference) in Catalog.ReferencesTo(collection))
        {
            var referencing = await session.KeysReferencingAsync(source, reference.Field, key, cascade ? int.MaxValue : GuardListLimit, ct);
            referencing.RemoveAll(k => source == collection && Equals(k, key));
            if (referencing.Count == 0)
            {
                continue;
            }
            if (!cascade)
            {
                var names = string.Join(", ", referencing.Select(k => $"{source.EntitySet}({ReferenceResolver.FormatKey(k)})"));
                throw ApiException.Conflict(
                    $"{collection.EntitySet}({ReferenceResolver.FormatKey(key)}) is referenced by {names}{(referencing.Count == GuardListLimit ? " and possibly more" : "")}; " +
                    "delete those first or add ?cascade=true.",
                    [.. referencing.Select(k => new ErrorDetail("Referenced", $"{source.EntitySet}({ReferenceResolver.FormatKey(k)})/{reference.Field}", $"{source.EntitySet}({ReferenceResolver.FormatKey(k)}) references it."))]);
            }
            var children = await session.GetManyAsync(source, referencing, ct);
            foreach (var (childKey, child) in children)
            {
                await DeleteTreeAsync(session, source, childKey, child, cascade, origin, ct);
            }
        }
        await RunHooksAsync(new WriteContext(session, collection, key, stored.Document, null, origin), ct);
        await session.DeleteAsync(collection, key, ct);
    }

    private static async Task ValidateAgainstStoreAsync(
        StoreSession session, CollectionDefinition collection, IReadOnlyList<JsonObject> documents, Func<int, string> prefix, IReadOnlyList<object> keys, CancellationToken ct)
    {
        var errors = await ReferenceResolver.ResolveAsync(session, collection, documents, prefix, ct);
        DocumentValidator.ThrowIfInvalid(errors, documents.Count > 1 ? "The batch" : "The document");

        foreach (var group in collection.UniqueTogether)
        {
            var seen = new Dictionary<string, int>();
            for (var i = 0; i < documents.Count; i++)
            {
                var values = group.Select(f => documents[i][f]).ToList();
                if (values.Any(v => v is null))
                {
                    continue;
                }
                var signature = string.Join("|", values.Select(v => v!.ToJsonString()));
                var description = string.Join(", ", group.Select((f, j) => $"{f} {values[j]!.ToJsonString()}"));
                if (seen.TryGetValue(signature, out var first))
                {
                    throw UniqueConflict(collection, group, prefix(i), $"Documents {first} and {i} of the batch share {description}.");
                }
                seen[signature] = i;
                var clash = await session.FindByFieldsAsync(collection, [.. group.Select((f, j) => (f, ScalarOf(values[j]!)))], keys[i], ct);
                if (clash is not null)
                {
                    throw UniqueConflict(collection, group, prefix(i), $"{collection.EntitySet}({ReferenceResolver.FormatKey(clash)}) already has {description}.");
                }
            }
        }
    }

    private static ApiException UniqueConflict(CollectionDefinition collection, string[] group, string prefix, string message) =>
        ApiException.Conflict(message, [new("NotUnique", prefix + group[^1], $"{string.Join(" and ", group)} must be unique together in {collection.EntitySet}.")]);

    private static async Task AssignKeysAsync(StoreSession session, CollectionDefinition collection, IReadOnlyList<JsonObject> documents, CancellationToken ct)
    {
        if (!collection.ServerAssignsKey || documents.All(d => d[collection.Key.Name] is not null))
        {
            return;
        }
        var next = await session.NextIntegerKeyAsync(collection, ct);
        var taken = documents.Select(d => d[collection.Key.Name]).OfType<JsonValue>().Select(v => v.GetValue<long>()).ToHashSet();
        foreach (var document in documents.Where(d => d[collection.Key.Name] is null))
        {
            while (taken.Contains(next))
            {
                next++;
            }
            document[collection.Key.Name] = next++;
        }
    }

    private static void RejectDuplicateKeys(CollectionDefinition collection, IReadOnlyList<JsonObject> documents, Func<int, string> prefix)
    {
        var duplicates = documents
            .Select((d, i) => (Key: d[collection.Key.Name]?.ToJsonString(), Index: i))
            .Where(x => x.Key is not null)
            .GroupBy(x => x.Key)
            .Where(g => g.Count() > 1)
            .ToList();
        if (duplicates.Count > 0)
        {
            throw ApiException.Conflict(
                $"The batch holds the same {collection.Key.Name} more than once: {string.Join(", ", duplicates.Select(g => g.Key))}.",
                [.. duplicates.SelectMany(g => g.Skip(1)).Select(x => new ErrorDetail("DuplicateKey", prefix(x.Index) + collection.Key.Name, $"{collection.Key.Name} {x.Key} appears earlier in the batch."))]);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> (pipeline writes through the <c>…InSessionAsync</c> forms) in one transaction. With
    /// <paramref name="retryRaces"/>, a compare-and-set lost to a concurrent writer rolls back and runs again on the
    /// new state: a caller that sent no precondition is never told it failed one.
    /// </summary>
    public async Task<T> TransactAsync<T>(Func<StoreSession, Task<T>> work, CollectionDefinition collection, bool retryRaces, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await store.WriteAsync(work, ct);
            }
            catch (ApiException e) when (retryRaces && e.Code == ChangedDuringWrite && attempt < RaceAttempts)
            {
                // Lost to a concurrent writer: the next attempt reads its result.
            }
            catch (ApiException e) when (retryRaces && e.Code == ChangedDuringWrite)
            {
                throw ApiException.Conflict($"{e.Message[..e.Message.IndexOf(';', StringComparison.Ordinal)]} {RaceAttempts} times; the write was not made.");
            }
            catch (DbException e) when (store.Dialect.IsUniqueViolation(e))
            {
                // A concurrent writer won the race the checks above could not see.
                throw ApiException.Conflict($"A concurrent write to {collection.EntitySet} stored the same key or unique values first.");
            }
        }
    }

    private async Task RunHooksAsync(WriteContext context, CancellationToken ct)
    {
        foreach (var hook in _hooks)
        {
            await hook.OnWriteAsync(context, ct);
        }
    }

    private string Now() => DocumentNormalizer.FormatTime(time.GetUtcNow());

    public static object KeyOf(CollectionDefinition collection, JsonObject document)
    {
        var node = document[collection.Key.Name]!.AsValue();
        return collection.HasIntegerKey ? node.GetValue<long>() : node.GetValue<string>();
    }

    private static object ScalarOf(JsonNode node)
    {
        var value = node.AsValue();
        return value.TryGetValue<long>(out var n) ? n : value.TryGetValue<double>(out var d) ? d : value.TryGetValue<bool>(out var b) ? b : value.GetValue<string>();
    }

    public static ApiException NotFound(CollectionDefinition collection, object key) =>
        ApiException.NotFound($"{collection.EntitySet}({ReferenceResolver.FormatKey(key)}) does not exist.");
}
