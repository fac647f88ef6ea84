using System.Net;
using System.Text.Json.Nodes;
using Lims.Auth;
using Lims.Collections;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.Auth;

/// <summary>
/// Every route and method the service has in this branch, for every role and without a key: 401 without, 403 where
/// the policy refuses, and the route's own success status where it allows.
/// </summary>
public abstract class RoleMatrixTests(StoreFixture store)
{
    private sealed record Case(string Method, string Url, JsonNode? Body, string Set, RouteShape Shape, string? Name, HttpStatusCode Success);

    [Fact]
    public async Task Every_route_answers_each_role_as_the_policy_says()
    {
        var lab = await new LabBuilder(store.Client).WithAcquisitionAsync();
        var samples = new Samples(lab);
        var clients = new Dictionary<string, HttpClient> { ["anonymous"] = store.App.CreateAnonymousClient() };
        foreach (var role in ExpectedAccess.AllRoles)
        {
            clients[role] = await store.ClientForRoleAsync(role);
        }

        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var (role, client) in clients)
        {
            foreach (var arrange in Routes(samples))
            {
                var test = await arrange();
                var reply = await HttpJson.SendAsync(client, new HttpMethod(test.Method), test.Url, test.Body?.ToJsonString(), []);
                var expected = role == "anonymous"
                    ? HttpStatusCode.Unauthorized
                    : ExpectedAccess.RolesFor(test.Method, test.Set, test.Shape, test.Name).Contains(role) ? test.Success : HttpStatusCode.Forbidden;
                checkedCount++;
                if (reply.Status != expected)
                {
                    failures.Add($"{role} {test.Method} {test.Url}: expected {(int)expected}, got {reply}");
                }
                else if ((int)expected >= 400 && reply.ErrorCode is null)
                {
                    failures.Add($"{role} {test.Method} {test.Url}: {(int)expected} without an OData error body");
                }
            }
        }
        Assert.True(checkedCount > 300, $"only {checkedCount} requests");
        Assert.Empty(failures);
    }

    /// <summary>Each route as a step that prepares its own document (as admin) when it writes one.</summary>
    private IEnumerable<Func<Task<Case>>> Routes(Samples samples)
    {
        var lab = samples.Lab;
        var admin = store.Client;
        var existing = new Dictionary<string, string>
        {
            ["Specimens"] = $"'{lab.SpecimenId}'",
            ["Blocks"] = $"'{lab.BlockId}'",
            ["CuttingSessions"] = $"'{lab.CuttingSessionId}'",
            ["Substrates"] = $"'{lab.MediaId}'",
            ["Sections"] = $"'{lab.SectionId}'",
            ["ROIs"] = $"{lab.RoiId}",
            ["AcquisitionTasks"] = $"'{lab.TaskId}'",
            ["Acquisitions"] = $"'{lab.AcquisitionId}'",
        };
        foreach (var set in ExpectedAccess.LabSets.Concat(ExpectedAccess.InstrumentSets))
        {
            var definition = Catalog.Get(set);
            var navigation = definition.References.Count > 0 ? definition.References[0].Navigation : Catalog.ReferencesTo(definition).First().Reference.ReverseNavigation;
            yield return () => Task.FromResult(new Case("GET", $"/odata/{set}", null, set, RouteShape.Collection, null, HttpStatusCode.OK));
            yield return () => Task.FromResult(new Case("GET", $"/odata/{set}/$count", null, set, RouteShape.Count, null, HttpStatusCode.OK));
            yield return async () =>
            {
                var url = existing.TryGetValue(set, out var key) ? $"/odata/{set}({key})" : (await samples.CreateAsync(admin, set)).Url;
                return new Case("GET", url, null, set, RouteShape.Entity, null, HttpStatusCode.OK);
            };
            yield return async () =>
            {
                var url = existing.TryGetValue(set, out var key) ? $"/odata/{set}({key})" : (await samples.CreateAsync(admin, set)).Url;
                return new Case("GET", $"{url}/{navigation}", null, set, RouteShape.Navigation, navigation, HttpStatusCode.OK);
            };
            yield return () => Task.FromResult(new Case("POST", $"/odata/{set}", samples.New(set), set, RouteShape.Collection, null, HttpStatusCode.Created));
            yield return async () =>
            {
                var (url, document) = await samples.CreateAsync(admin, set);
                document["lims_test_note"] = "replaced";
                return new Case("PUT", url, document, set, RouteShape.Entity, null, HttpStatusCode.OK);
            };
            yield return async () =>
            {
                var (url, _) = await samples.CreateAsync(admin, set);
                return new Case("PATCH", url, new JsonObject { ["lims_test_note"] = "patched" }, set, RouteShape.Entity, null, HttpStatusCode.OK);
            };
            yield return async () =>
            {
                var (url, _) = await samples.CreateAsync(admin, set);
                return new Case("DELETE", url, null, set, RouteShape.Entity, null, HttpStatusCode.NoContent);
            };
        }

        // The audit trail: readable by all, written by no route (405 even for admins).
        yield return () => Task.FromResult(new Case("GET", "/odata/AuditEntries?$top=5", null, "AuditEntries", RouteShape.Collection, null, HttpStatusCode.OK));
        yield return () => Task.FromResult(new Case("GET", "/odata/AuditEntries/$count", null, "AuditEntries", RouteShape.Count, null, HttpStatusCode.OK));
        yield return async () =>
        {
            var first = (await HttpJson.GetJsonAsync(admin, "/odata/AuditEntries?$top=1&$select=audit_id")).Value[0]!["audit_id"]!.GetValue<string>();
            return new Case("GET", $"/odata/AuditEntries('{first}')", null, "AuditEntries", RouteShape.Entity, null, HttpStatusCode.OK);
        };
        foreach (var method in new[] { "PUT", "PATCH", "DELETE" })
        {
            yield return async () =>
            {
                var first = (await HttpJson.GetJsonAsync(admin, "/odata/AuditEntries?$top=1&$select=audit_id")).Value[0]!["audit_id"]!.GetValue<string>();
                return new Case(method, $"/odata/AuditEntries('{first}')", method == "DELETE" ? null : new JsonObject { ["actor"] = "forged" },
                    "AuditEntries", RouteShape.Entity, null, HttpStatusCode.MethodNotAllowed);
            };
        }
        yield return () => Task.FromResult(new Case("POST", "/odata/AuditEntries", new JsonObject { ["audit_id"] = "forged", ["operation"] = "create" },
            "AuditEntries", RouteShape.Collection, null, HttpStatusCode.MethodNotAllowed));

        // Keys: admins only, reads included.
        yield return () => Task.FromResult(new Case("GET", "/odata/ApiKeys", null, "ApiKeys", RouteShape.Collection, null, HttpStatusCode.OK));
        yield return () => Task.FromResult(new Case("GET", $"/odata/ApiKeys('{ApiKeyService.BootstrapName}')", null, "ApiKeys", RouteShape.Entity, null, HttpStatusCode.OK));
        yield return () => Task.FromResult(new Case("POST", "/odata/ApiKeys", new JsonObject { ["name"] = $"m-{Guid.NewGuid():N}", ["role"] = "viewer" },
            "ApiKeys", RouteShape.Collection, null, HttpStatusCode.Created));
        yield return async () =>
        {
            var name = await NewKeyAsync(admin);
            return new Case("DELETE", $"/odata/ApiKeys('{name}')", null, "ApiKeys", RouteShape.Entity, null, HttpStatusCode.NoContent);
        };
        yield return async () =>
        {
            var name = await NewKeyAsync(admin);
            return new Case("POST", $"/odata/ApiKeys('{name}')/Lims.Revoke", null, "ApiKeys", RouteShape.Action, "Lims.Revoke", HttpStatusCode.NoContent);
        };
        yield return async () =>
        {
            var name = await NewKeyAsync(admin);
            return new Case("PATCH", $"/odata/ApiKeys('{name}')", new JsonObject { ["role"] = "admin" }, "ApiKeys", RouteShape.Entity, null, HttpStatusCode.MethodNotAllowed);
        };
    }

    private static async Task<string> NewKeyAsync(HttpClient admin)
    {
        var name = $"m-{Guid.NewGuid():N}";
        var reply = await admin.PostJsonAsync("/odata/ApiKeys", new JsonObject { ["name"] = name, ["role"] = "viewer" });
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        return name;
    }
}

public sealed class SqliteRoleMatrixTests(SqliteStore store) : RoleMatrixTests(store), IClassFixture<SqliteStore>;

public sealed class PostgresRoleMatrixTests(PostgresStore store) : RoleMatrixTests(store), IClassFixture<PostgresStore>;
