using Lims.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Lims.Auth;

/// <summary>
/// At start-up, after migrations: makes <see cref="AuthOptions.BootstrapAdminKey"/> an admin key; or, on the embedded
/// default's first start (no bootstrap key, no key at all), creates an admin key and shows it once, on the console and
/// in <see cref="AuthOptions.FirstKeyFile"/> (mode 600).
/// </summary>
public sealed class AuthInitializer(
    ApiKeyService keys, IOptions<AuthOptions> options, IOptions<StorageOptions> storage, ILogger<AuthInitializer> logger) : IHostedService
{
    public const string FirstKeyName = "admin";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.BootstrapAdminKey is { Length: > 0 } bootstrap)
        {
            await keys.EnsureBootstrapAsync(bootstrap, cancellationToken);
            logger.LogInformation("Auth:BootstrapAdminKey is the admin key '{Name}'", ApiKeyService.BootstrapName);
            return;
        }
        if (await keys.CountAsync(cancellationToken) > 0)
        {
            return;
        }
        if (storage.Value.Provider != StorageProvider.Sqlite)
        {
            logger.LogWarning("No API key exists yet: set Auth:BootstrapAdminKey, or run 'keys create <name> admin'");
            return;
        }
        var (_, key) = await keys.CreateAsync(FirstKeyName, Roles.Admin, "system", cancellationToken);
        var file = FirstKeyFile(options.Value, storage.Value);
        await WriteOwnerOnlyAsync(file, key + Environment.NewLine, cancellationToken);
        // Printed once, on purpose, outside the log pipeline: the log may be shipped elsewhere, the console is the operator's.
        Console.WriteLine($"Created the first admin key '{FirstKeyName}': {key}");
        Console.WriteLine($"It is also in {Path.GetFullPath(file)} (readable by this user only). It will not be shown again.");
        logger.LogWarning("Created the first admin key '{Name}'; it is in {File}", FirstKeyName, Path.GetFullPath(file));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Configured, or <c>admin-key.txt</c> beside the SQLite database (<c>data/admin-key.txt</c> by default).</summary>
    public static string FirstKeyFile(AuthOptions auth, StorageOptions storage)
    {
        if (auth.FirstKeyFile is { Length: > 0 } configured)
        {
            return configured;
        }
        var database = new SqliteConnectionStringBuilder(storage.EffectiveConnectionString).DataSource;
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(database)) ?? ".", "admin-key.txt");
    }

    private static async Task WriteOwnerOnlyAsync(string path, string text, CancellationToken ct)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }
        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(text.AsMemory(), ct);
        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only to a new file; an old file keeps its mode unless set again.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
