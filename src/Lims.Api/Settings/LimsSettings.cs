using Lims.Api;
using Lims.Auth;
using Lims.Ingest;
using Lims.Limits;
using Lims.OData;
using Lims.Seeding;
using Lims.Storage;

namespace Lims.Settings;

/// <summary>
/// The one list of settings the service reads. Each line names an options class and its configuration section;
/// from it come binding (<c>IOptions&lt;T&gt;</c>), validation at start-up, the README table, the <c>config</c>
/// command and the check that docker-compose.yml sets only keys that exist.
/// </summary>
public static class LimsSettings
{
    public static IReadOnlyList<SettingsSection> Sections { get; } =
    [
        SettingsSection.For<ServerOptions>(""),
        SettingsSection.For<LoggingOptions>("Serilog:MinimumLevel"),
        SettingsSection.For<StorageOptions>("Storage"),
        SettingsSection.For<SeedOptions>("Seed"),
        SettingsSection.For<ODataLimits>("OData"),
        SettingsSection.For<AuthOptions>("Auth"),
        SettingsSection.For<LimitsOptions>("Limits"),
        SettingsSection.For<RateLimitOptions>("RateLimit"),
        SettingsSection.For<IngestOptions>("Ingest"),
    ];

    public static IEnumerable<SettingDescriptor> All => Sections.SelectMany(s => s.Settings);

    /// <summary>The setting a concrete key (<c>Storage:Provider</c>, any case) is an instance of, if any.</summary>
    public static SettingDescriptor? Find(string key) => All.FirstOrDefault(s => s.Matches(key));

    /// <summary>Every problem with the configured values, across all sections.</summary>
    public static IReadOnlyList<string> Problems(IConfiguration configuration) => Sections.SelectMany(s => s.Problems(configuration)).ToList();

    /// <summary>Binds every section to its options class and validates them all before the host starts.</summary>
    public static IServiceCollection AddLimsSettings(this IServiceCollection services)
    {
        foreach (var section in Sections)
        {
            section.Register(services);
        }
        return services;
    }
}
