using System.Text;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace Lims.Settings;

/// <summary>What <c>config</c> prints: each setting's effective value, secrets masked, and the source it came from.</summary>
public static class EffectiveSettings
{
    public sealed record Row(string Key, string Value, string Source);

    public static IReadOnlyList<Row> Rows(IConfiguration configuration)
    {
        var providers = (configuration as IConfigurationRoot)?.Providers.Reverse().ToList() ?? [];
        var rows = new List<Row>();
        foreach (var setting in LimsSettings.All)
        {
            var keys = setting.Key.Contains('{', StringComparison.Ordinal)
                ? configuration.AsEnumerable().Where(e => e.Value is not null && setting.Matches(e.Key)).Select(e => e.Key).Order(StringComparer.Ordinal).ToList()
                : [setting.Key];
            if (keys.Count == 0)
            {
                rows.Add(new Row(setting.Key, setting.Default.Replace("`", "", StringComparison.Ordinal), "default"));
            }
            foreach (var key in keys)
            {
                var value = configuration[key];
                rows.Add(value is null
                    ? new Row(key, setting.Default.Replace("`", "", StringComparison.Ordinal), "default")
                    : new Row(key, setting.Mask(value), SourceOf(providers, key)));
            }
        }
        return rows;
    }

    public static string Render(IConfiguration configuration)
    {
        var rows = Rows(configuration);
        var keyWidth = rows.Max(r => r.Key.Length) + 2;
        var valueWidth = Math.Min(rows.Max(r => r.Value.Length), 60) + 2;
        var text = new StringBuilder();
        text.Append("setting".PadRight(keyWidth)).Append("value".PadRight(valueWidth)).Append("source\n");
        foreach (var row in rows)
        {
            text.Append(row.Key.PadRight(keyWidth)).Append(row.Value.PadRight(valueWidth)).Append(row.Source).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The provider that wins for the key: the last one added that has it.</summary>
    private static string SourceOf(IEnumerable<IConfigurationProvider> providers, string key) => providers.FirstOrDefault(p => p.TryGet(key, out _)) switch
    {
        FileConfigurationProvider file => file.Source.Path ?? "file",
        EnvironmentVariablesConfigurationProvider => "environment",
        CommandLineConfigurationProvider => "command line",
        null => "default",
        var other => other.GetType().Name.Replace("ConfigurationProvider", "", StringComparison.Ordinal).ToLowerInvariant(),
    };
}
