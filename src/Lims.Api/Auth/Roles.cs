namespace Lims.Auth;

/// <summary>A set of roles; a policy rule names the roles it lets through.</summary>
[Flags]
public enum RoleSet
{
    None = 0,
    Viewer = 1,
    Instrument = 2,
    Technician = 4,
    Admin = 8,
    Anyone = Viewer | Instrument | Technician | Admin,
}

/// <summary>
/// The four roles. Instrument and technician each add writes to what a viewer may do; they are siblings, not a
/// ladder, so permissions are sets of roles rather than a minimum level. Admin may do everything.
/// </summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string Instrument = "instrument";
    public const string Technician = "technician";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Viewer, Instrument, Technician, Admin];

    public static RoleSet Parse(string? role) => role switch
    {
        Viewer => RoleSet.Viewer,
        Instrument => RoleSet.Instrument,
        Technician => RoleSet.Technician,
        Admin => RoleSet.Admin,
        _ => RoleSet.None,
    };

    /// <summary>The role names in a set, for messages and endpoint policies.</summary>
    public static IReadOnlyList<string> Names(RoleSet set) => [.. All.Where(role => (set & Parse(role)) != 0)];
}
