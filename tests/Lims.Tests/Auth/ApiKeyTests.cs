using System.Net;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Lims.Auth;
using Lims.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Lims.Tests.Auth;

public abstract class ApiKeyTests(StoreFixture store)
{
    private static string NewName() => $"k-{Guid.NewGuid():N}"[..20];

    private async Task<(string Name, string Key)> CreateKeyAsync(string role)
    {
        var name = NewName();
        var reply = await store.Client.PostJsonAsync("/odata/ApiKeys", new JsonObject { ["name"] = name, ["role"] = role });
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        return (name, reply.Object["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_created_key_is_answered_once_and_never_listed_again()
    {
        var name = NewName();
        var created = await store.Client.PostJsonAsync("/odata/ApiKeys", new JsonObject { ["name"] = name, ["role"] = "technician" });

        Assert.Equal(HttpStatusCode.Created, created.Status);
        var key = created.Object["key"]!.GetValue<string>();
        Assert.StartsWith("lims_", key, StringComparison.Ordinal);
        Assert.True(key.Length >= 40, key);
        Assert.Equal("technician", created.Object["role"]!.GetValue<string>());
        Assert.Equal(key[..9], created.Object["key_prefix"]!.GetValue<string>());
        Assert.EndsWith($"/odata/ApiKeys('{name}')", created.Response.Headers.Location!.ToString(), StringComparison.Ordinal);

        var one = await HttpJson.GetJsonAsync(store.Client, $"/odata/ApiKeys('{name}')");
        var all = await HttpJson.GetJsonAsync(store.Client, "/odata/ApiKeys?$top=1000");
        Assert.Equal(HttpStatusCode.OK, one.Status);
        Assert.Null(one.Object["key"]);
        foreach (var text in new[] { one.Body!.ToJsonString(), all.Body!.ToJsonString() })
        {
            Assert.DoesNotContain(key, text, StringComparison.Ordinal);
            Assert.DoesNotContain(ApiKeySecrets.Hash(key), text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_key_is_accepted_in_X_Api_Key_and_as_a_bearer_token()
    {
        var (_, key) = await CreateKeyAsync("viewer");
        using var client = store.App.CreateAnonymousClient();

        var byHeader = await HttpJson.GetJsonAsync(client, "/odata/Specimens?$top=1", ("X-Api-Key", key));
        var byBearer = await HttpJson.GetJsonAsync(client, "/odata/Specimens?$top=1", ("Authorization", $"Bearer {key}"));

        Assert.Equal(HttpStatusCode.OK, byHeader.Status);
        Assert.Equal(HttpStatusCode.OK, byBearer.Status);
    }

    [Theory]
    [InlineData("DELETE")]
    [InlineData("Lims.Revoke")]
    public async Task A_revoked_key_answers_401_at_once(string how)
    {
        var (name, key) = await CreateKeyAsync("viewer");
        using var client = store.App.CreateClientWithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await HttpJson.GetJsonAsync(client, "/odata/Specimens?$top=1")).Status);

        var revoked = how == "DELETE"
            ? await HttpJson.DeleteJsonAsync(store.Client, $"/odata/ApiKeys('{name}')")
            : await HttpJson.PostJsonAsync(store.Client, $"/odata/ApiKeys('{name}')/Lims.Revoke", null);

        Assert.Equal(HttpStatusCode.NoContent, revoked.Status);
        var after = await HttpJson.GetJsonAsync(client, "/odata/Specimens?$top=1");
        Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
        Assert.Equal(ApiKeyAuthenticationHandler.InvalidKeyMessage, after.Body!["error"]!["message"]!.GetValue<string>());
        var listed = await HttpJson.GetJsonAsync(store.Client, $"/odata/ApiKeys('{name}')");
        Assert.NotNull(listed.Object["revoked_at"]);
        Assert.Equal(ApiKeyService.BootstrapName, listed.Object["revoked_by"]!.GetValue<string>());
    }

    [Fact]
    public async Task No_key_or_a_wrong_key_answers_401_with_a_challenge_and_an_OData_error()
    {
        using var client = store.App.CreateAnonymousClient();

        var none = await HttpJson.GetJsonAsync(client, "/odata/Specimens");
        var wrong = await HttpJson.GetJsonAsync(client, "/odata/Specimens", ("X-Api-Key", "lims_not-a-key"));
        var wrongBearer = await HttpJson.GetJsonAsync(client, "/odata", ("Authorization", "Bearer nope"));

        foreach (var reply in new[] { none, wrong, wrongBearer })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
            Assert.Equal("Unauthorized", reply.ErrorCode);
            Assert.Contains("X-Api-Key", reply.Response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
        Assert.Equal(ApiKeyAuthenticationHandler.MissingKeyMessage, none.Body!["error"]!["message"]!.GetValue<string>());
        Assert.Equal(ApiKeyAuthenticationHandler.InvalidKeyMessage, wrong.Body!["error"]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/health/ready")]
    [InlineData("/odata/$metadata")]
    [InlineData("/swagger/v1/swagger.json")]
    public async Task Health_metadata_and_swagger_need_no_key(string path)
    {
        using var client = store.App.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Open_paths_are_open_for_reading_only()
    {
        using var client = store.App.CreateAnonymousClient();
        var posted = await client.PostJsonAsync("/odata/$metadata", new JsonObject());
        Assert.Equal(HttpStatusCode.Unauthorized, posted.Status);
    }

    [Fact]
    public async Task Swagger_declares_the_key_so_its_UI_can_send_it()
    {
        var document = await HttpJson.GetJsonAsync(store.Client, "/swagger/v1/swagger.json");
        var scheme = document.Object["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Equal("apiKey", scheme["type"]!.GetValue<string>());
        Assert.Equal("X-Api-Key", scheme["name"]!.GetValue<string>());
        Assert.Equal("header", scheme["in"]!.GetValue<string>());
        Assert.NotNull(document.Object["security"]![0]!["ApiKey"]);
    }

    [Fact]
    public async Task Swagger_shows_no_padlock_on_the_routes_open_without_a_key()
    {
        var paths = (await HttpJson.GetJsonAsync(store.Client, "/swagger/v1/swagger.json")).Object["paths"]!;
        foreach (var open in new[] { "/health", "/health/ready" })
        {
            var security = paths[open]!["get"]!["security"];
            Assert.True(security is JsonArray { Count: 0 }, $"GET {open} should declare no key requirement, has {security?.ToJsonString() ?? "the document's"}");
        }
        // Routes that need a key keep the document-wide requirement.
        Assert.Null(paths["/odata/Specimens"]!["get"]!["security"]);
    }

    [Theory]
    [InlineData("{'name':'ok-name','role':'root'}", "role")]
    [InlineData("{'name':'has space','role':'viewer'}", "name")]
    [InlineData("{'name':'','role':'viewer'}", "name")]
    [InlineData("{'role':'viewer'}", "name")]
    [InlineData("{'name':'x','role':7}", "role")]
    [InlineData("{'name':'x','role':'viewer','key':'chosen'}", "key")]
    public async Task Invalid_key_requests_answer_400_naming_the_field(string body, string target)
    {
        var reply = await store.Client.PostJsonAsync("/odata/ApiKeys", HttpJson.Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains(target, reply.ErrorTargets);
    }

    [Fact]
    public async Task A_second_key_with_the_same_name_answers_409()
    {
        var (name, _) = await CreateKeyAsync("viewer");
        var again = await store.Client.PostJsonAsync("/odata/ApiKeys", new JsonObject { ["name"] = name, ["role"] = "admin" });
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
    }

    [Fact]
    public async Task Keys_cannot_be_edited_only_revoked()
    {
        var (name, _) = await CreateKeyAsync("viewer");
        var patched = await store.Client.PatchJsonAsync($"/odata/ApiKeys('{name}')", new JsonObject { ["role"] = "admin" });
        Assert.Equal(HttpStatusCode.MethodNotAllowed, patched.Status);
        Assert.Equal("viewer", (await HttpJson.GetJsonAsync(store.Client, $"/odata/ApiKeys('{name}')")).Object["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_named_endpoint_policies_follow_the_roles()
    {
        var authorization = store.App.Services.GetRequiredService<IAuthorizationService>();
        var expected = new Dictionary<string, string[]>
        {
            [LimsPolicies.Viewer] = ["viewer", "instrument", "technician", "admin"],
            [LimsPolicies.Instrument] = ["instrument", "admin"],
            [LimsPolicies.Technician] = ["technician", "admin"],
            [LimsPolicies.Admin] = ["admin"],
        };
        foreach (var (policy, allowed) in expected)
        {
            foreach (var role in Roles.All)
            {
                var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "u"), new Claim(ClaimTypes.Role, role)], "ApiKey"));
                var result = await authorization.AuthorizeAsync(user, null, policy);
                Assert.True(result.Succeeded == allowed.Contains(role), $"{policy} / {role}");
            }
            Assert.False((await authorization.AuthorizeAsync(new ClaimsPrincipal(new ClaimsIdentity()), null, policy)).Succeeded);
        }
    }

    [Fact]
    public async Task The_keys_command_creates_lists_and_revokes()
    {
        var name = NewName();
        using var output = new StringWriter();

        Assert.Equal(0, await KeysCommand.RunAsync(store.App.Services, ["create", name, "instrument"], output, CancellationToken.None));
        var key = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
        using var client = store.App.CreateClientWithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await HttpJson.GetJsonAsync(client, "/odata/Specimens?$top=1")).Status);

        Assert.Equal(0, await KeysCommand.RunAsync(store.App.Services, ["list"], output, CancellationToken.None));
        Assert.Contains($"{name}\tinstrument\t{key[..9]}", output.ToString(), StringComparison.Ordinal);

        Assert.Equal(0, await KeysCommand.RunAsync(store.App.Services, ["revoke", name], output, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await HttpJson.GetJsonAsync(client, "/odata/Specimens?$top=1")).Status);
        var audit = await HttpJson.GetJsonAsync(store.Client, $"/odata/AuditEntries?$filter=entity_key eq '{name}'&$orderby=audit_id");
        Assert.Equal(["create", "update"], audit.Value.Select(e => e!["operation"]!.GetValue<string>()));
        Assert.All(audit.Value, e => Assert.Equal(KeysCommand.Actor, e!["actor"]!.GetValue<string>()));

        Assert.Equal(2, await KeysCommand.RunAsync(store.App.Services, ["frobnicate"], output, CancellationToken.None));
    }
}

public sealed class SqliteApiKeyTests(SqliteStore store) : ApiKeyTests(store), IClassFixture<SqliteStore>;

public sealed class PostgresApiKeyTests(PostgresStore store) : ApiKeyTests(store), IClassFixture<PostgresStore>;
