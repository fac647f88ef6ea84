using Lims.Cli;
using Lims.Storage;

namespace Lims.Auth;

/// <summary><c>keys create &lt;name&gt; &lt;role&gt;</c>, <c>keys list</c>, <c>keys revoke &lt;name&gt;</c>: key management from the service binary.</summary>
public sealed class KeysCommand : ICliCommand
{
    public const string Actor = "cli";

    public string Name => "keys";
    public string Usage => "keys create <name> <role> | keys list | keys revoke <name>   manage API keys (roles: " + string.Join(", ", Roles.All) + ")";

    public Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CancellationToken ct) =>
        RunAsync(services, args, Console.Out, ct);

    internal static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, CancellationToken ct)
    {
        await services.MigrateLimsStoreAsync(ct);
        var keys = services.GetRequiredService<ApiKeyService>();
        switch (args)
        {
            case ["create", var name, var role]:
                var (_, key) = await keys.CreateAsync(name, role, Actor, ct);
                await output.WriteLineAsync($"Created key '{name}' ({role}). It is shown only now:");
                await output.WriteLineAsync(key);
                return 0;
            case ["list"]:
                foreach (var document in await keys.ListAsync(ct))
                {
                    var revoked = document["revoked_at"]?.GetValue<string>();
                    await output.WriteLineAsync(
                        $"{document["name"]}\t{document["role"]}\t{document["key_prefix"]?.GetValue<string>() ?? "-"}\tcreated {document["created_at"]}" +
                        (revoked is null ? "" : $"\trevoked {revoked}"));
                }
                return 0;
            case ["revoke", var name]:
                await keys.RevokeAsync(name, Actor, ct);
                await output.WriteLineAsync($"Revoked key '{name}'.");
                return 0;
            default:
                await output.WriteLineAsync("Usage: keys create <name> <role> | keys list | keys revoke <name>");
                return 2;
        }
    }
}
