using Lims.Settings;
using Microsoft.Extensions.Configuration;

namespace Lims.Tests.Packaging;

/// <summary>A bad value is named with the key, what it must be and what it was.</summary>
public sealed class SettingsValidationTests
{
    private static IReadOnlyList<string> ProblemsWith(params (string Key, string Value)[] settings) =>
        LimsSettings.Problems(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Theory]
    [InlineData("Storage:Provider", "Mongo", "Storage:Provider must be Sqlite or Postgres (got 'Mongo')")]
    [InlineData("OData:MaxPageSize", "-5", "OData:MaxPageSize must be at least 1 (got '-5')")]
    [InlineData("OData:MaxPageSize", "0", "OData:MaxPageSize must be at least 1 (got '0')")]
    [InlineData("OData:MaxTop", "lots", "OData:MaxTop must be a whole number (got 'lots')")]
    [InlineData("OData:MaxExpandDepth", "-1", "OData:MaxExpandDepth must be at least 0 (got '-1')")]
    [InlineData("Storage:SeedWhenEmpty", "yes", "Storage:SeedWhenEmpty must be true or false (got 'yes')")]
    [InlineData("Serilog:MinimumLevel:Default", "Loud", "Serilog:MinimumLevel:Default must be Verbose, Debug, Information, Warning, Error or Fatal (got 'Loud')")]
    [InlineData("Serilog:MinimumLevel:Override:Lims.Storage", "Chatty", "Serilog:MinimumLevel:Override:Lims.Storage must be Verbose, Debug, Information, Warning, Error or Fatal (got 'Chatty')")]
    [InlineData("Urls", "ftp://example:21", "Urls must be one or more http:// or https:// URLs separated by ';' (got 'ftp://example:21')")]
    [InlineData("Seed:Directory", "/no/such/lims/seed", "Seed:Directory must name an existing directory (got '/no/such/lims/seed')")]
    public void A_bad_value_is_named_with_what_it_must_be(string key, string value, string message) =>
        Assert.Equal([message], ProblemsWith((key, value)));

    [Theory]
    [InlineData("Storage:Provider", "postgres")]
    [InlineData("Storage:SeedWhenEmpty", "True")]
    [InlineData("Urls", "http://0.0.0.0:5080;https://*:5443")]
    [InlineData("Urls", "http://+:8080")]
    [InlineData("OData:MaxTop", "9223372036854775807")]
    [InlineData("Serilog:MinimumLevel:Override:Lims", "debug")]
    public void Good_values_pass_in_any_case(string key, string value)
    {
        var extra = key == "Storage:Provider" ? new[] { ("Storage:ConnectionString", "Host=db;Database=lims") } : [];
        Assert.Empty(ProblemsWith([(key, value), .. extra]));
    }

    [Fact]
    public void A_misspelt_key_in_a_lims_section_is_refused_with_the_keys_that_exist()
    {
        var problem = Assert.Single(ProblemsWith(("Storage:Provder", "Postgres")));
        Assert.StartsWith("Storage:Provder is not a setting Lims reads", problem, StringComparison.Ordinal);
        Assert.Contains("Storage:Provider", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_without_a_connection_string_is_refused()
    {
        var problem = Assert.Single(ProblemsWith(("Storage:Provider", "Postgres")));
        Assert.StartsWith("Storage:ConnectionString must be set when Storage:Provider is Postgres", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_connection_string_is_named_without_showing_its_password()
    {
        var problem = Assert.Single(ProblemsWith(("Storage:Provider", "Postgres"), ("Storage:ConnectionString", "Host=db;Password=hunter2;Colour=blue")));
        Assert.StartsWith("Storage:ConnectionString is not a valid Postgres connection string", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var problems = ProblemsWith(("Storage:Provider", "Mongo"), ("OData:MaxPageSize", "-5"), ("Serilog:MinimumLevel:Default", "Loud"));
        Assert.Equal(3, problems.Count);
    }

    [Fact]
    public void An_empty_value_means_not_set_where_the_setting_may_be_unset()
    {
        // Section markers such as "Storage=" (the test host passes them) and optional values may be empty.
        Assert.Empty(ProblemsWith(("Storage", ""), ("Serilog:MinimumLevel", ""), ("Serilog:MinimumLevel:Override", ""), ("Storage:SeedWhenEmpty", ""), ("Seed:Directory", "")));
        Assert.Single(ProblemsWith(("Storage:Nothing", "")));
        Assert.Equal(["OData:MaxPageSize must be a whole number (got '')"], ProblemsWith(("OData:MaxPageSize", "")));
    }

    [Fact]
    public void Secrets_are_masked_in_what_config_prints()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = "Host=db;Username=lims;Password='hun;ter2';Database=lims",
        }).Build();
        var text = EffectiveSettings.Render(configuration);
        // Neither half of a quoted password containing ';' may leak.
        Assert.DoesNotContain("'hun", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ter2", text, StringComparison.Ordinal);
        Assert.Contains("Host=db;Username=lims;Password=*****;Database=lims", text, StringComparison.Ordinal);
        var provider = Assert.Single(EffectiveSettings.Rows(configuration), r => r.Key == "Storage:Provider");
        Assert.Equal(("Postgres", "memory"), (provider.Value, provider.Source));
        Assert.Equal("default", Assert.Single(EffectiveSettings.Rows(configuration), r => r.Key == "OData:MaxPageSize").Source);
    }
}
