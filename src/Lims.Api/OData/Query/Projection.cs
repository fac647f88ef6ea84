using System.Text.Json;
using Microsoft.OData.UriParser;

namespace Lims.OData.Query;

/// <summary>
/// What $select keeps of a document: named members, each whole (null) or narrowed to its own members
/// (<c>$select=stage_position/x</c> keeps only x of stage_position).
/// </summary>
public sealed class Projection
{
    private readonly Dictionary<string, Projection?> _members = new(StringComparer.Ordinal);

    public IEnumerable<string> Names => _members.Keys;

    public bool Contains(string name) => _members.ContainsKey(name);

    /// <summary>The sub-selection of a member: null when the whole member is selected.</summary>
    public Projection? Inner(string name) => _members.GetValueOrDefault(name);

    public void Add(IReadOnlyList<string> path)
    {
        var target = this;
        for (var i = 0; i < path.Count; i++)
        {
            var last = i == path.Count - 1;
            if (target._members.TryGetValue(path[i], out var inner))
            {
                if (inner is null)
                {
                    return; // already whole
                }
                if (last)
                {
                    target._members[path[i]] = null;
                    return;
                }
                target = inner;
                continue;
            }
            if (last)
            {
                target._members[path[i]] = null;
                return;
            }
            var created = new Projection();
            target._members[path[i]] = created;
            target = created;
        }
    }

    /// <summary>Writes a structured value keeping only the selected members.</summary>
    public void Write(Utf8JsonWriter writer, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            value.WriteTo(writer);
            return;
        }
        writer.WriteStartObject();
        foreach (var (name, inner) in _members)
        {
            if (value.TryGetProperty(name, out var member))
            {
                writer.WritePropertyName(name);
                if (inner is null)
                {
                    member.WriteTo(writer);
                }
                else
                {
                    inner.Write(writer, member);
                }
            }
        }
        writer.WriteEndObject();
    }

    /// <summary>The select list of a context URL: <c>tile_id,stage_position/x</c>.</summary>
    public string ContextList() => string.Join(",", Paths(""));

    private IEnumerable<string> Paths(string prefix) =>
        _members.SelectMany(m => m.Value is null ? [prefix + m.Key] : m.Value.Paths(prefix + m.Key + "/"));

    /// <summary>The projection of a parsed $select, or null when everything is selected.</summary>
    public static Projection? From(SelectExpandClause? clause)
    {
        if (clause is null || clause.AllSelected)
        {
            return null;
        }
        var projection = new Projection();
        foreach (var item in clause.SelectedItems.OfType<PathSelectItem>())
        {
            var path = new List<string>();
            foreach (var segment in item.SelectedPath)
            {
                switch (segment)
                {
                    case PropertySegment property:
                        path.Add(property.Property.Name);
                        break;
                    case DynamicPathSegment dynamic when path.Count > 0:
                        path.Add(dynamic.Identifier);
                        break;
                    case DynamicPathSegment dynamic:
                        throw Errors.ApiException.BadRequest($"Could not find a property named '{dynamic.Identifier}' to $select.");
                    case NavigationPropertySegment:
                        break; // selecting a navigation link adds nothing to the minimal-metadata payload
                    default:
                        throw FilterTranslator.Unsupported($"$select of a {segment.GetType().Name}");
                }
            }
            if (path.Count > 0)
            {
                projection.Add(path);
            }
        }
        return projection;
    }
}
