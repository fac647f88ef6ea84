using Lims.Auth;
using Lims.Collections;

namespace Lims.Tests.Auth;

/// <summary>The policy table on its own, including routes other capabilities add (actions, ingest, event collections).</summary>
public class AccessPolicyTests
{
    private static readonly string[] _methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    private static readonly string?[] _names =
        [null, "tiles", "blocks", "Lims.Start", "Lims.Abort", "Lims.Replan", "Lims.MarkAcquired", "Lims.Fail", "Lims.Revoke", "Lims.Unknown"];

    public static IEnumerable<object?[]> Requests() =>
        from set in ExpectedAccess.AllSets
        from method in _methods
        from shape in Enum.GetValues<RouteShape>()
        from name in _names
        where (shape is RouteShape.Action or RouteShape.Navigation or RouteShape.NavigationCount) == (name is not null)
        select new object?[] { method, set, shape, name };

    [Fact]
    public void Every_role_method_set_shape_and_name_is_decided_as_the_issue_says()
    {
        var wrong = new List<string>();
        var count = 0;
        foreach (var request in Requests())
        {
            var (method, set, shape, name) = ((string)request[0]!, (string)request[1]!, (RouteShape)request[2]!, (string?)request[3]);
            var expected = ExpectedAccess.RolesFor(method, set, shape, name);
            foreach (var role in ExpectedAccess.AllRoles)
            {
                count++;
                if (AccessPolicy.Allows(role, method, set, shape, name) != expected.Contains(role))
                {
                    wrong.Add($"{role} {method} {set} {shape} {name}: expected {(expected.Contains(role) ? "allowed" : "refused")}");
                }
            }
        }
        Assert.True(count > 2000, $"only {count} combinations");
        Assert.Empty(wrong);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Admin")]
    [InlineData("root")]
    public void Unknown_roles_may_do_nothing(string? role)
    {
        Assert.False(AccessPolicy.Allows(role, "GET", "Specimens", RouteShape.Collection, null));
        Assert.False(AccessPolicy.Allows(role, "POST", "Specimens", RouteShape.Collection, null));
    }

    [Fact]
    public void Routes_no_rule_names_are_for_admins_only()
    {
        Assert.Same(AccessPolicy.Default, AccessPolicy.RuleFor("POST", "Specimens", RouteShape.Action, "Lims.SomethingNew"));
        Assert.False(AccessPolicy.Allows(Roles.Technician, "POST", "Specimens", RouteShape.Action, "Lims.SomethingNew"));
        Assert.True(AccessPolicy.Allows(Roles.Admin, "POST", "Specimens", RouteShape.Action, "Lims.SomethingNew"));
    }

    [Fact]
    public void The_key_collection_holds_the_same_roles_as_the_policy() =>
        Assert.Equal(Roles.All, Collections.Definitions.ApiKeys.Roles);

    [Fact]
    public void Every_writable_collection_of_the_catalog_is_named_in_the_expectations() =>
        Assert.All(Catalog.All.Where(c => !c.ReadOnly), c => Assert.Contains(c.EntitySet, ExpectedAccess.LabSets.Concat(ExpectedAccess.InstrumentSets)));
}
