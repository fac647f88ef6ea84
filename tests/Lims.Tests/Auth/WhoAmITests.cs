using System.Net;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.Auth;

public sealed class WhoAmITests(SqliteStore store) : IClassFixture<SqliteStore>
{
    [Fact]
    public async Task The_caller_learns_its_key_name_and_role()
    {
        var viewer = await store.ClientForRoleAsync("viewer");
        var me = await viewer.GetJsonAsync("/auth/me");
        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.Equal("viewer", me.Object["role"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(me.Object["name"]!.GetValue<string>()));
        Assert.Equal("admin", (await store.Client.GetJsonAsync("/auth/me")).Object["role"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await store.App.CreateAnonymousClient().GetJsonAsync("/auth/me")).Status);
    }
}
