using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Lims.Tests.Packaging;

/// <summary>docker-compose.yml read as YAML, with <c>${NAME:-default}</c> resolved to its default (what a plain <c>docker compose up</c> gets).</summary>
public sealed partial class ComposeFile
{
    private readonly YamlMappingNode _root;

    public ComposeFile(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        _root = (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public static ComposeFile Load() => new(RepositoryFiles.Read("docker-compose.yml"));

    public YamlMappingNode Service(string name) => (YamlMappingNode)Mapping(_root, "services").Children[new YamlScalarNode(name)];

    public IReadOnlyList<string> ServiceNames => Mapping(_root, "services").Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();

    public IReadOnlyList<string> NamedVolumes => _root.Children.TryGetValue(new YamlScalarNode("volumes"), out var v) && v is YamlMappingNode m
        ? m.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList()
        : [];

    /// <summary>A service's environment, in either of compose's forms (a mapping, or a list of NAME=value).</summary>
    public IReadOnlyDictionary<string, string> Environment(string service)
    {
        Service(service).Children.TryGetValue(new YamlScalarNode("environment"), out var node);
        return node switch
        {
            YamlMappingNode m => m.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => Interpolate(((YamlScalarNode)e.Value).Value ?? "")),
            YamlSequenceNode s => s.Children.Select(c => ((YamlScalarNode)c).Value!.Split('=', 2)).ToDictionary(p => p[0], p => Interpolate(p.Length > 1 ? p[1] : "")),
            _ => new Dictionary<string, string>(),
        };
    }

    public static string? Scalar(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode m || !m.Children.TryGetValue(new YamlScalarNode(key), out current!))
            {
                return null;
            }
        }
        return current is YamlScalarNode s ? Interpolate(s.Value ?? "") : null;
    }

    public static IReadOnlyList<string> List(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlSequenceNode s ? s.Children.Select(c => Interpolate(((YamlScalarNode)c).Value ?? "")).ToList() : [];

    public static string Interpolate(string value) => Variable().Replace(value, m => m.Groups["default"].Value);

    private static YamlMappingNode Mapping(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::?-(?<default>[^}]*))?\}")]
    private static partial Regex Variable();
}
