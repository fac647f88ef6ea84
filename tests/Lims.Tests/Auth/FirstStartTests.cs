using System.Net;
using Lims.Auth;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.Auth;

/// <summary>Start-up keys on the embedded default: the first admin key, and the bootstrap key's life across restarts.</summary>
public sealed class FirstStartTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"lims-auth-{Guid.NewGuid():N}");

    private string ConnectionString => $"Data Source={Path.Combine(_directory, "lims.db")}";

    private LimsApp Start(string bootstrapKey)
    {
        Directory.CreateDirectory(_directory);
        var app = new LimsApp(StoreKind.Sqlite, ConnectionString, new Dictionary<string, string?> { ["Auth:BootstrapAdminKey"] = bootstrapKey })
        {
            DeleteStoreOnDispose = false,
        };
        _ = app.Server;
        return app;
    }

    [Fact]
    public async Task Without_a_bootstrap_key_the_first_start_writes_an_admin_key_readable_by_the_owner_only()
    {
        using (var app = Start(bootstrapKey: ""))
        {
            var file = Path.Combine(_directory, "admin-key.txt");
            Assert.True(File.Exists(file));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
            var key = (await File.ReadAllTextAsync(file)).Trim();
            using var client = app.CreateClientWithKey(key);
            var admin = await HttpJson.GetJsonAsync(client, $"/odata/ApiKeys('{AuthInitializer.FirstKeyName}')");
            Assert.Equal(HttpStatusCode.OK, admin.Status);
            Assert.Equal("admin", admin.Object["role"]!.GetValue<string>());
            File.Delete(file);
        }

        // A second start finds a key and creates none.
        using var again = Start(bootstrapKey: "");
        Assert.False(File.Exists(Path.Combine(_directory, "admin-key.txt")));
    }

    [Fact]
    public async Task The_bootstrap_key_follows_the_configuration_across_restarts()
    {
        using (var first = Start("first-bootstrap-key-0123456789"))
        {
            using var client = first.CreateClientWithKey("first-bootstrap-key-0123456789");
            Assert.Equal(HttpStatusCode.NoContent, (await HttpJson.DeleteJsonAsync(client, $"/odata/ApiKeys('{ApiKeyService.BootstrapName}')")).Status);
            Assert.Equal(HttpStatusCode.Unauthorized, (await HttpJson.GetJsonAsync(client, "/odata/Specimens")).Status);
        }
        Assert.False(File.Exists(Path.Combine(_directory, "admin-key.txt")));

        using var second = Start("second-bootstrap-key-0123456789");
        using var old = second.CreateClientWithKey("first-bootstrap-key-0123456789");
        using var current = second.CreateClientWithKey("second-bootstrap-key-0123456789");
        Assert.Equal(HttpStatusCode.Unauthorized, (await HttpJson.GetJsonAsync(old, "/odata/Specimens")).Status);
        Assert.Equal(HttpStatusCode.OK, (await HttpJson.GetJsonAsync(current, "/odata/Specimens")).Status);
        var listed = await HttpJson.GetJsonAsync(current, $"/odata/ApiKeys('{ApiKeyService.BootstrapName}')");
        Assert.Null(listed.Object["revoked_at"]);
        Assert.Equal("admin", listed.Object["role"]!.GetValue<string>());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
