using Lims.Auth;

namespace Lims.Tests.Auth;

/// <summary>
/// The permissions written out independently of <see cref="AccessPolicy"/>, so that the policy is checked against
/// the requirement rather than against itself: viewer reads; instrument adds acquisitions, tiles, ingest, Start and the
/// acquisition actions; technician adds the lab and task writes and Abort/Replan on tasks; admin does everything.
/// </summary>
public static class ExpectedAccess
{
    public static readonly string[] LabSets = ["Specimens", "Blocks", "CuttingSessions", "Sections", "Substrates", "ROIs", "AcquisitionTasks"];
    public static readonly string[] InstrumentSets = ["Acquisitions", "Tiles"];
    public static readonly string[] ServiceSets = ["AuditEntries", "TaskEvents", "AcquisitionEvents", "QualityReports"];
    public static readonly string[] AllSets = [.. LabSets, .. InstrumentSets, .. ServiceSets, "ApiKeys"];

    public static readonly string[] AllRoles = [Roles.Viewer, Roles.Instrument, Roles.Technician, Roles.Admin];

    /// <summary>The roles that may make the request (admin always among them).</summary>
    public static IReadOnlySet<string> RolesFor(string method, string set, RouteShape shape, string? name)
    {
        var roles = new HashSet<string> { Roles.Admin };
        if (set == "ApiKeys")
        {
            return roles;
        }
        if (method == "GET")
        {
            return AllRoles.ToHashSet();
        }
        var instrument = method == "POST" && (
            (shape == RouteShape.Collection && InstrumentSets.Contains(set)) ||
            (shape == RouteShape.Navigation && set == "Acquisitions" && name == "tiles") ||
            (shape == RouteShape.Action && set == "AcquisitionTasks" && name == "Lims.Start") ||
            (shape == RouteShape.Action && set == "Acquisitions" && name is "Lims.MarkAcquired" or "Lims.Abort" or "Lims.Fail"));
        var technician = LabSets.Contains(set) && (
            (method == "POST" && shape == RouteShape.Collection) ||
            (method is "PUT" or "PATCH" && shape == RouteShape.Entity) ||
            (method == "POST" && shape == RouteShape.Action && set == "AcquisitionTasks" && name is "Lims.Abort" or "Lims.Replan"));
        if (instrument)
        {
            roles.Add(Roles.Instrument);
        }
        if (technician)
        {
            roles.Add(Roles.Technician);
        }
        return roles;
    }
}
