using Lims.Collections;
using Lims.Collections.Definitions;
using Lims.Storage;

namespace Lims.Packages;

/// <summary>
/// Which documents a package holds: the root and everything beneath it (documents that reference it, transitively),
/// every document those reference up to the specimen (the lineage, substrates included), the histories of the tasks
/// and acquisitions, and the quality reports of the acquisitions and ROIs beneath the root. Keys only: tiles are
/// never listed, they are read per acquisition when written.
/// </summary>
public sealed class PackageScope
{
    /// <summary>Collections exported one JSON file each, in the catalog's order (references point to earlier ones).</summary>
    public static readonly IReadOnlyList<CollectionDefinition> DocumentCollections =
    [
        .. Catalog.All.Where(c => c != Tiles.Definition && c != ApiKeys.Definition && c != AuditEntries.Definition),
    ];

    /// <summary>A re-imaging acquisition references the one it replaces, but does not sit beneath it.</summary>
    private static bool LeadsDown(CollectionDefinition source, ReferenceDefinition reference) =>
        !(source == Acquisitions.Definition && reference.Field == "replaces_acquisition_id");

    private readonly Dictionary<CollectionDefinition, SortedSet<object>> _keys = [];
    private readonly Dictionary<CollectionDefinition, HashSet<object>> _beneath = [];

    public CollectionDefinition Root { get; }
    public object RootKey { get; }

    private PackageScope(CollectionDefinition root, object rootKey)
    {
        Root = root;
        RootKey = rootKey;
    }

    public IReadOnlyCollection<object> KeysOf(CollectionDefinition collection) =>
        _keys.TryGetValue(collection, out var keys) ? keys : [];

    /// <summary>Acquisitions beneath the root, whose tiles the package holds.</summary>
    public IReadOnlyList<string> TileAcquisitions =>
        [.. (_beneath.GetValueOrDefault(Acquisitions.Definition) ?? []).Cast<string>().Order(StringComparer.Ordinal)];

    public static async Task<PackageScope> ResolveAsync(StoreSession session, CollectionDefinition root, object rootKey, CancellationToken ct)
    {
        if (await session.GetAsync(root, rootKey, ct) is null)
        {
            throw Documents.DocumentService.NotFound(root, rootKey);
        }
        var scope = new PackageScope(root, rootKey);
        scope.Add(root, rootKey, beneath: true);
        await scope.WalkDownAsync(session, ct);
        await scope.WalkUpAsync(session, ct);
        await scope.AddAttachedAsync(session, ct);
        return scope;
    }

    private bool Add(CollectionDefinition collection, object key, bool beneath)
    {
        if (beneath)
        {
            (_beneath.TryGetValue(collection, out var set) ? set : _beneath[collection] = []).Add(key);
        }
        return (_keys.TryGetValue(collection, out var keys) ? keys : _keys[collection] = new SortedSet<object>(KeyComparer.Instance)).Add(key);
    }

    /// <summary>Adds documents that reference documents beneath the root, until no new one turns up (child ROIs nest).</summary>
    private async Task WalkDownAsync(StoreSession session, CancellationToken ct)
    {
        var added = true;
        while (added)
        {
            added = false;
            foreach (var source in DocumentCollections)
            {
                foreach (var reference in source.References.Where(r => LeadsDown(source, r)))
                {
                    var target = Catalog.Get(reference.Target);
                    if (_beneath.GetValueOrDefault(target) is not { Count: > 0 } parents)
                    {
                        continue;
                    }
                    foreach (var key in await KeysWhereAsync(session, source, reference.Field, parents, SqlDialect.KindOf(target.Key), ct))
                    {
                        added |= Add(source, key, beneath: true);
                    }
                }
            }
        }
    }

    /// <summary>Adds every document that an included document references (its lineage), until none is missing.</summary>
    private async Task WalkUpAsync(StoreSession session, CancellationToken ct)
    {
        var visited = new Dictionary<CollectionDefinition, HashSet<object>>();
        var added = true;
        while (added)
        {
            added = false;
            foreach (var collection in DocumentCollections.Where(c => c.References.Count > 0))
            {
                var seen = visited.TryGetValue(collection, out var s) ? s : visited[collection] = new HashSet<object>();
                var fresh = KeysOf(collection).Where(k => !seen.Contains(k)).ToList();
                seen.UnionWith(fresh);
                foreach (var chunk in fresh.Chunk(1000))
                {
                    foreach (var (_, stored) in await session.GetManyAsync(collection, chunk, ct))
                    {
                        foreach (var reference in collection.References)
                        {
                            if (stored.Document[reference.Field] is { } value)
                            {
                                var target = Catalog.Get(reference.Target);
                                added |= Add(target, target.HasIntegerKey ? value.GetValue<long>() : value.GetValue<string>(), beneath: false);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Task and acquisition histories, and the quality reports of what lies beneath the root.</summary>
    private async Task AddAttachedAsync(StoreSession session, CancellationToken ct)
    {
        var tasks = KeysOf(AcquisitionTasks.Definition);
        var acquisitions = KeysOf(Acquisitions.Definition);
        foreach (var key in await KeysWhereAsync(session, TaskEvents.Definition, "task_id", tasks, PrimitiveKind.String, ct))
        {
            Add(TaskEvents.Definition, key, beneath: false);
        }
        foreach (var key in await KeysWhereAsync(session, AcquisitionEvents.Definition, "acquisition_id", acquisitions, PrimitiveKind.String, ct))
        {
            Add(AcquisitionEvents.Definition, key, beneath: false);
        }
        foreach (var acquisition in TileAcquisitions)
        {
            Add(QualityReports.Definition, Quality.QualityReportBuilder.AcquisitionReportId(acquisition), beneath: false);
        }
        foreach (var roi in _beneath.GetValueOrDefault(Rois.Definition) ?? [])
        {
            Add(QualityReports.Definition, Quality.QualityReportBuilder.RoiReportId((long)roi), beneath: false);
        }
        // Only the reports that exist stay listed.
        var reports = _keys.GetValueOrDefault(QualityReports.Definition);
        if (reports is { Count: > 0 })
        {
            var stored = await session.GetManyAsync(QualityReports.Definition, [.. reports], ct);
            reports.RemoveWhere(k => !stored.ContainsKey(k));
        }
    }

    private static async Task<List<object>> KeysWhereAsync(
        StoreSession session, CollectionDefinition source, string field, IReadOnlyCollection<object> values, PrimitiveKind kind, CancellationToken ct)
    {
        var keys = new List<object>();
        foreach (var chunk in values.Chunk(1000))
        {
            await using var command = session.Command($"SELECT id FROM {source.Table} WHERE {session.Dialect.InList(SqlDialect.Quote(field), "@values")}");
            session.Dialect.AddListParameter(command, "@values", chunk, kind);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                keys.Add(StoreSession.KeyValue(source, reader.GetValue(0)));
            }
        }
        return keys;
    }

    /// <summary>Orders keys of one collection (all strings or all integers) the same way on every store.</summary>
    private sealed class KeyComparer : IComparer<object>
    {
        public static readonly KeyComparer Instance = new();

        public int Compare(object? x, object? y) => (x, y) switch
        {
            (long a, long b) => a.CompareTo(b),
            (string a, string b) => string.CompareOrdinal(a, b),
            _ => string.CompareOrdinal(x?.ToString(), y?.ToString()),
        };
    }
}
