using System.Text.Json.Nodes;

namespace Lims.Tests.Infrastructure;

/// <summary>The demo lab's files, for tests that compare what the service serves with what was loaded.</summary>
public static class SeedFiles
{
    public static string Directory { get; } = Find();

    public static JsonArray Load(string entitySet)
    {
        var file = System.IO.Directory.GetFiles(Directory, $"*-{entitySet}.json").Single();
        return JsonNode.Parse(File.ReadAllText(file))!.AsArray();
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "seed");
            if (File.Exists(Path.Combine(candidate, "01-Specimens.json")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("seed/ not found above " + AppContext.BaseDirectory);
    }
}
