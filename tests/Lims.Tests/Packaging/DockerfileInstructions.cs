namespace Lims.Tests.Packaging;

/// <summary>The Dockerfile as a list of instructions (continuation lines joined, comments dropped).</summary>
public sealed class DockerfileInstructions(IReadOnlyList<(string Name, string Arguments)> instructions)
{
    public IReadOnlyList<(string Name, string Arguments)> All { get; } = instructions;

    public static DockerfileInstructions Load() => Parse(RepositoryFiles.Read("Dockerfile"));

    public static DockerfileInstructions Parse(string text)
    {
        var instructions = new List<(string, string)>();
        var current = "";
        foreach (var line in text.Split('\n').Select(l => l.Trim()).Where(l => !l.StartsWith('#')))
        {
            current += line.EndsWith('\\') ? line[..^1] + " " : line;
            if (!line.EndsWith('\\'))
            {
                if (current.Trim().Length > 0)
                {
                    var parts = current.Trim().Split(' ', 2);
                    instructions.Add((parts[0].ToUpperInvariant(), parts.Length > 1 ? parts[1].Trim() : ""));
                }
                current = "";
            }
        }
        return new DockerfileInstructions(instructions);
    }

    public IEnumerable<string> Arguments(string name) => All.Where(i => i.Name == name).Select(i => i.Arguments);

    /// <summary>The instructions of the last stage: what the image that runs is made of.</summary>
    public DockerfileInstructions FinalStage => new(All.Skip(All.Select((i, index) => (i, index)).Last(x => x.i.Name == "FROM").index).ToList());

    /// <summary>ENV in its NAME=value form (several per instruction).</summary>
    public IReadOnlyDictionary<string, string> Environment =>
        Arguments("ENV").SelectMany(a => a.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
}
