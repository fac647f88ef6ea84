using Lims.Collections.Definitions;

namespace Lims.Auth;

/// <summary>The shape of an OData path after its entity set, which is what the policy distinguishes.</summary>
public enum RouteShape
{
    /// <summary><c>/Set</c></summary>
    Collection,

    /// <summary><c>/Set/$count</c></summary>
    Count,

    /// <summary><c>/Set(key)</c></summary>
    Entity,

    /// <summary><c>/Set(key)/navigation</c> (also tile ingest: POST <c>/Acquisitions(key)/tiles</c>)</summary>
    Navigation,

    /// <summary><c>/Set(key)/navigation/$count</c></summary>
    NavigationCount,

    /// <summary><c>/Set(key)/Namespace.Action</c> or <c>/Set/Namespace.Action</c></summary>
    Action,

    /// <summary>Anything deeper (property paths, keys after navigations)</summary>
    Other,
}

/// <summary>
/// One line of the policy: which methods on which entity sets and path shapes (and which action or navigation
/// name) it covers, and the roles it lets through. Empty lists and a null name match anything.
/// </summary>
public sealed record AccessRule(
    IReadOnlyList<string> Methods, IReadOnlyList<string> EntitySets, IReadOnlyList<RouteShape> Shapes, IReadOnlyList<string>? Names, RoleSet Allowed, string Why)
{
    public bool Matches(string method, string entitySet, RouteShape shape, string? name) =>
        (Methods.Count == 0 || Methods.Contains(method, StringComparer.OrdinalIgnoreCase)) &&
        (EntitySets.Count == 0 || EntitySets.Contains(entitySet, StringComparer.OrdinalIgnoreCase)) &&
        (Shapes.Count == 0 || Shapes.Contains(shape)) &&
        (Names is null || (name is not null && Names.Contains(name, StringComparer.OrdinalIgnoreCase)));
}

/// <summary>
/// Who may do what through the generic OData route, as one table read top to bottom: the first rule that
/// matches decides. What no rule covers is for admins only, so a new route is closed until a rule opens it.
/// </summary>
public static class AccessPolicy
{
    private static readonly string[] _write = ["PUT", "PATCH"];

    /// <summary>What technicians create and update: the physical lab and the imaging plan.</summary>
    public static readonly IReadOnlyList<string> TechnicianSets =
        ["Specimens", "Blocks", "CuttingSessions", "Sections", "Substrates", "ROIs", "AcquisitionTasks"];

    public static readonly IReadOnlyList<AccessRule> Rules =
    [
        new(Methods: [], [ApiKeys.Definition.EntitySet], Shapes: [], Names: null, RoleSet.Admin, "Keys are managed by admins only, reads included."),
        new(["GET"], EntitySets: [], Shapes: [], Names: null, RoleSet.Anyone, "Every role reads everything: collections, entities, navigations, counts, the audit trail."),
        new(["POST"], ["Acquisitions", "Tiles"], [RouteShape.Collection], Names: null, RoleSet.Instrument, "Instruments post acquisitions and tiles."),
        new(["POST"], ["Acquisitions"], [RouteShape.Navigation], ["tiles"], RoleSet.Instrument, "Tile ingest: POST /Acquisitions(key)/tiles."),
        new(["POST"], ["AcquisitionTasks"], [RouteShape.Action], ["Lims.Start"], RoleSet.Instrument, "An instrument claims a task."),
        new(["POST"], ["Acquisitions"], [RouteShape.Action], ["Lims.MarkAcquired", "Lims.Abort", "Lims.Fail"], RoleSet.Instrument, "Instruments report how an acquisition went."),
        new(["POST"], TechnicianSets, [RouteShape.Collection], Names: null, RoleSet.Technician, "Technicians record the lab and plan tasks."),
        new(_write, TechnicianSets, [RouteShape.Entity], Names: null, RoleSet.Technician, "Technicians correct what they recorded."),
        new(["POST"], ["AcquisitionTasks"], [RouteShape.Action], ["Lims.Abort", "Lims.Replan"], RoleSet.Technician, "Technicians abort and re-plan tasks."),
        new(["DELETE"], EntitySets: [], Shapes: [], Names: null, RoleSet.Admin, "Deleting is for admins: history must not disappear."),
    ];

    /// <summary>The rule for everything the table does not name.</summary>
    public static readonly AccessRule Default = new([], [], [], null, RoleSet.Admin, "Not covered by any rule: admins only.");

    public static AccessRule RuleFor(string method, string entitySet, RouteShape shape, string? name) =>
        Rules.FirstOrDefault(rule => rule.Matches(method, entitySet, shape, name)) ?? Default;

    /// <summary>Whether <paramref name="role"/> may make the request; admins may make any.</summary>
    public static bool Allows(string? role, string method, string entitySet, RouteShape shape, string? name)
    {
        var roles = Roles.Parse(role);
        return roles == RoleSet.Admin || (roles & RuleFor(method, entitySet, shape, name).Allowed) != 0;
    }
}
