using Lims.Api;

namespace Lims.Cli;

/// <summary><c>openapi [file]</c>: writes the OpenAPI document of the whole HTTP API (the one committed as openapi/lims.json).</summary>
public sealed class OpenApiCommand : ICliCommand
{
    public string Name => "openapi";
    public string Usage => "openapi [file]          write the OpenAPI document (JSON) to a file, or to standard output";

    public async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CancellationToken ct)
    {
        var json = await OpenApiJson.GenerateAsync(services, ct);
        if (args.Count == 0 || args[0] == "-")
        {
            Console.Write(json);
            return 0;
        }
        if (Path.GetDirectoryName(Path.GetFullPath(args[0])) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }
        await File.WriteAllTextAsync(args[0], json, ct);
        await Console.Error.WriteLineAsync($"Wrote the OpenAPI document to {args[0]}.");
        return 0;
    }
}
