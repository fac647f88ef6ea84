using System.Text;

namespace Lims.Settings;

/// <summary>The operators' table of settings (in <see cref="DocumentPath"/>), generated from <see cref="LimsSettings"/> (<c>config --markdown</c>, <c>config --readme</c>).</summary>
public static class SettingsTable
{
    /// <summary>The document holding the table, from the repository root.</summary>
    public const string DocumentPath = "docs/operations.md";

    public const string Begin = "<!-- settings table: generated from Settings/LimsSettings.cs by `config --readme`; a test checks it -->";
    public const string End = "<!-- end of settings table -->";

    /// <summary>Run from the repository root (<c>dotnet run</c> runs the app in the project's directory, hence the absolute path).</summary>
    public const string RegenerateCommand = "dotnet run --project src/Lims.Api -- config --readme \"$PWD/" + DocumentPath + "\"";

    public static string Markdown()
    {
        var table = new StringBuilder();
        table.Append("| setting | environment variable | default | meaning |\n");
        table.Append("| --- | --- | --- | --- |\n");
        foreach (var setting in LimsSettings.All)
        {
            var defaultText = setting.Default.Contains('`', StringComparison.Ordinal) || setting.Default == "(none)" ? setting.Default : $"`{setting.Default}`";
            table.Append($"| `{setting.Key}` | `{setting.EnvironmentVariable}` | {Cell(defaultText)} | {Cell(setting.Meaning)} |\n");
        }
        return table.ToString();
    }

    /// <summary>The README text with the table between the markers replaced by the generated one.</summary>
    public static string WithTable(string readme)
    {
        var begin = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidOperationException($"The document has no settings table markers; put these two lines where the table goes:\n{Begin}\n{End}");
        }
        return readme[..(begin + Begin.Length)] + "\n" + Markdown() + readme[end..];
    }

    /// <summary>Rewrites the table in the README file; false when it was already up to date.</summary>
    public static async Task<bool> UpdateReadmeAsync(string path, CancellationToken ct)
    {
        var readme = await File.ReadAllTextAsync(path, ct);
        var updated = WithTable(readme);
        if (updated == readme)
        {
            return false;
        }
        await File.WriteAllTextAsync(path, updated, ct);
        return true;
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
