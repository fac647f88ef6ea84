using Lims.Settings;
using Microsoft.Extensions.Configuration;

namespace Lims.Tests.Packaging;

/// <summary>The one list of settings agrees with the README table and appsettings.json.</summary>
public sealed class SettingsRegistryTests
{
    private static IConfiguration ShippedAppSettings() =>
        new ConfigurationBuilder().AddJsonFile(RepositoryFiles.PathOf("src/Lims.Api/appsettings.json"), optional: false).Build();

    [Fact]
    public void Every_setting_has_a_meaning_and_a_key_of_its_own()
    {
        var settings = LimsSettings.All.ToList();
        Assert.All(settings, s => Assert.False(string.IsNullOrWhiteSpace(s.Meaning), $"{s.Key} has no [Setting(\"meaning\")]"));
        Assert.Equal(settings.Count, settings.Select(s => s.Key.ToUpperInvariant()).Distinct().Count());
        Assert.Contains(settings, s => s.Key == "Storage:Provider");
        Assert.Contains(settings, s => s.Key == "Serilog:MinimumLevel:Default");
    }

    [Fact]
    public void The_operations_doc_settings_table_is_the_one_generated_from_the_settings()
    {
        var readme = RepositoryFiles.Read(SettingsTable.DocumentPath);
        Assert.True(readme == SettingsTable.WithTable(readme),
            $"{SettingsTable.DocumentPath}'s settings table differs from the settings the app reads. Regenerate it from the repository root with:\n    {SettingsTable.RegenerateCommand}\nand commit the result.");
        foreach (var setting in LimsSettings.All)
        {
            Assert.Contains($"| `{setting.Key}` |", readme, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Appsettings_sets_only_settings_the_app_reads_each_to_its_documented_default()
    {
        var values = ShippedAppSettings().AsEnumerable().Where(e => e.Value is not null).ToList();
        Assert.NotEmpty(values);
        foreach (var (key, value) in values)
        {
            var setting = LimsSettings.Find(key);
            Assert.True(setting is not null, $"appsettings.json sets {key}, which no setting reads.");
            if (!setting.Default.Contains('`', StringComparison.Ordinal) && setting.Default != "(none)")
            {
                // The JSON provider reads booleans as True/False.
                Assert.True(string.Equals(setting.Default, value, StringComparison.OrdinalIgnoreCase), $"appsettings.json sets {key} to '{value}' but its documented default is '{setting.Default}'.");
            }
        }
    }

    [Fact]
    public void Appsettings_lists_every_setting_that_has_a_fixed_default()
    {
        var keys = ShippedAppSettings().AsEnumerable().Where(e => e.Value is not null).Select(e => e.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = LimsSettings.All.Where(s => !s.Key.Contains('{', StringComparison.Ordinal) && !s.Default.Contains('`', StringComparison.Ordinal) && s.Default != "(none)" && !keys.Contains(s.Key)).Select(s => s.Key).ToList();
        Assert.True(missing.Count == 0, $"appsettings.json does not list: {string.Join(", ", missing)}");
    }

    [Fact]
    public void The_shipped_settings_and_no_settings_at_all_are_valid()
    {
        Assert.Empty(LimsSettings.Problems(ShippedAppSettings()));
        Assert.Empty(LimsSettings.Problems(new ConfigurationBuilder().Build()));
    }

    [Fact]
    public void Keys_match_whatever_their_case_and_placeholders_match_one_segment()
    {
        Assert.Equal("Storage:Provider", LimsSettings.Find("storage:PROVIDER")?.Key);
        Assert.Equal("Serilog:MinimumLevel:Override:{name}", LimsSettings.Find("Serilog:MinimumLevel:Override:Lims.Storage")?.Key);
        Assert.Null(LimsSettings.Find("Serilog:MinimumLevel:Override"));
        Assert.Null(LimsSettings.Find("Storage:Provider:Extra"));
        Assert.Equal("Storage__ConnectionString", LimsSettings.Find("Storage:ConnectionString")?.EnvironmentVariable);
    }
}
