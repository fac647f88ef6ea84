using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Lims.Collections;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.Documents;

/// <summary>Every field of every collection survives storage: what the seed files hold is what the API serves.</summary>
public abstract class RoundTripTests(SeededStoreFixture store)
{
    public static TheoryData<string> EntitySets() => [.. Catalog.All.Where(c => !c.ReadOnly).Select(c => c.EntitySet)];

    [Theory]
    [MemberData(nameof(EntitySets))]
    public async Task Seeded_documents_come_back_with_every_field(string entitySet)
    {
        var collection = Catalog.Get(entitySet);
        var expected = SeedFiles.Load(entitySet);
        // Tiles are many: a spread of them is enough to cover every field.
        var sample = entitySet == "Tiles" ? expected.Where((_, i) => i % 97 == 0).ToList() : [.. expected];

        foreach (var document in sample.Cast<JsonObject>())
        {
            var key = document[collection.Key.Name]!;
            var url = collection.HasIntegerKey ? $"/odata/{entitySet}({key})" : $"/odata/{entitySet}('{key.GetValue<string>()}')";
            var reply = await store.Client.GetJsonAsync(url);
            Assert.True(reply.Status == HttpStatusCode.OK, $"GET {url}: {reply}");
            foreach (var (name, value) in document)
            {
                Assert.True(reply.Object.ContainsKey(name), $"{url} lost '{name}'");
                AssertSameValue(value, reply.Object[name], $"{url}/{name}");
            }
        }
    }

    [Fact]
    public async Task Counts_match_the_seed_files()
    {
        foreach (var collection in Catalog.All.Where(c => !c.ReadOnly))
        {
            var reply = await store.Client.GetJsonAsync($"/odata/{collection.EntitySet}/$count");
            Assert.Equal(SeedFiles.Load(collection.EntitySet).Count.ToString(CultureInfo.InvariantCulture), reply.Body!.GetValue<string>());
        }
    }

    /// <summary>Equal as JSON, except that date-times come back in the canonical UTC form.</summary>
    private static void AssertSameValue(JsonNode? expected, JsonNode? actual, string where)
    {
        if (expected is JsonValue e && e.TryGetValue<string>(out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && text.Contains('T', StringComparison.Ordinal))
        {
            Assert.True(actual is JsonValue a && a.TryGetValue<string>(out var served) && DateTimeOffset.Parse(served, CultureInfo.InvariantCulture) == time, $"{where}: {text} became {actual?.ToJsonString()}");
            return;
        }
        if (expected is JsonObject eo)
        {
            var ao = Assert.IsType<JsonObject>(actual);
            foreach (var (name, value) in eo)
            {
                AssertSameValue(value, ao[name], $"{where}/{name}");
            }
            Assert.Equal(eo.Count, ao.Count);
            return;
        }
        if (expected is JsonArray ea)
        {
            var aa = Assert.IsType<JsonArray>(actual);
            Assert.Equal(ea.Count, aa.Count);
            for (var i = 0; i < ea.Count; i++)
            {
                AssertSameValue(ea[i], aa[i], $"{where}[{i}]");
            }
            return;
        }
        if (expected is JsonValue ev && ev.TryGetValue<double>(out var number))
        {
            Assert.True(actual is JsonValue av && av.TryGetValue<double>(out var got) && got == number, $"{where}: {number} became {actual?.ToJsonString()}");
            return;
        }
        Assert.True(JsonNode.DeepEquals(expected, actual), $"{where}: {expected?.ToJsonString()} became {actual?.ToJsonString()}");
    }
}

public sealed class RoundTripTests_Sqlite(SeededSqliteStore store) : RoundTripTests(store), IClassFixture<SeededSqliteStore>;

public sealed class RoundTripTests_Postgres(SeededPostgresStore store) : RoundTripTests(store), IClassFixture<SeededPostgresStore>;
