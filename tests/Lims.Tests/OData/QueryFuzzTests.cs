using System.Net;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.OData;

/// <summary>
/// A few thousand generated query strings, valid and broken (truncated, shuffled, wrong types, unknown names,
/// stray characters), on the demo lab: none may answer 5xx other than 501 for OData Lims does not serve.
/// </summary>
public abstract class QueryFuzzTests(StoreFixture store)
{
    private const int Queries = 2000;

    private static readonly string[] _sets = ["Tiles", "Acquisitions", "ROIs", "Sections", "Specimens", "Blocks", "Substrates", "AcquisitionTasks", "CuttingSessions"];
    private static readonly string[] _fields = ["tile_id", "focus_score", "raster_index", "acquisition_id", "roi_id", "status", "start_time", "section_number",
        "stage_position/x", "raster_position/row", "hardware_settings/scope_id", "matcher", "description", "bogus", "extra_field", "created_at"];
    private static readonly string[] _literals = ["1", "-1", "0.5", "1e308", "99999999999999999999", "'x'", "'V1'", "''", "null", "true",
        "2026-03-05T10:00:00Z", "2026-03-05", "duration'PT1H'", "'O''Brien'", "NaN", "INF", "@p"];
    private static readonly string[] _operators = ["eq", "ne", "lt", "le", "gt", "ge", "has", "in", "add", "sub", "mul", "div", "divby", "mod"];
    private static readonly string[] _functions = ["contains", "startswith", "endswith", "tolower", "length", "year", "round", "cast", "isof", "now", "indexof", "substring", "concat"];
    private static readonly string[] _junk = ["(", ")", "'", ",", "/", "$", "%", "&", "=", " and ", " or ", "not ", "any(", "all(", "x:", "x/", ";"];

    [Fact]
    public async Task Generated_queries_never_answer_a_server_error()
    {
        var random = new Random(15);
        var failures = new List<string>();
        for (var i = 0; i < Queries && failures.Count < 10; i++)
        {
            var url = $"/odata/{Pick(random, _sets)}?{Options(random)}";
            var reply = await store.Client.GetAsync(url);
            if ((int)reply.StatusCode >= 500 && reply.StatusCode != HttpStatusCode.NotImplemented)
            {
                failures.Add($"{(int)reply.StatusCode} {url} {await reply.Content.ReadAsStringAsync()}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string Options(Random random)
    {
        var options = new List<string>();
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            options.Add(random.Next(9) switch
            {
                0 or 1 or 2 => "$filter=" + Expression(random, 0),
                3 => "$orderby=" + Pick(random, _fields) + (random.Next(2) == 0 ? " desc" : ""),
                4 => "$select=" + Pick(random, _fields) + "," + Pick(random, _fields),
                5 => "$top=" + Pick(random, _literals) + "&$skip=" + Pick(random, _literals),
                6 => "$apply=groupby((" + Pick(random, _fields) + "),aggregate(" + Pick(random, _fields) + " with " + Pick(random, ["sum", "average", "max", "countdistinct", "bogus"]) + " as v))",
                7 => "$search=" + Pick(random, ["V1", "001", "\"a b\"", "NOT x", "a AND", "(x OR y)", "\""]),
                _ => "$skiptoken=" + Pick(random, ["WzVd", "W10", "WyJ4Il0", "bm90IGpzb24", "WzEsMiwzXQ", "!!"]),
            });
        }
        var text = string.Join("&", options);
        // One in four is broken on purpose: truncated, or with a stray character inserted.
        return random.Next(4) switch
        {
            0 when text.Length > 3 => text[..random.Next(1, text.Length)],
            1 => text.Insert(random.Next(text.Length), Pick(random, _junk)),
            _ => text,
        };
    }

    private static string Expression(Random random, int depth) => (depth > 3 ? 0 : random.Next(6)) switch
    {
        0 or 1 => $"{Pick(random, _fields)} {Pick(random, _operators)} {Pick(random, _literals)}",
        2 => $"{Pick(random, _functions)}({Pick(random, _fields)},{Pick(random, _literals)}) {Pick(random, _operators)} {Pick(random, _literals)}",
        3 => $"({Expression(random, depth + 1)}) {Pick(random, ["and", "or"])} {Expression(random, depth + 1)}",
        4 => $"not ({Expression(random, depth + 1)})",
        _ => $"{Pick(random, ["matcher", "tiles", "acquisitions", "blocks"])}/{Pick(random, ["any", "all"])}(m: m/{Pick(random, ["match_quality", "dX", "focus_score", "block_id"])} {Pick(random, _operators)} {Pick(random, _literals)})",
    };

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];
}

public sealed class QueryFuzzTestsOnSqlite(SeededSqliteStore store) : QueryFuzzTests(store), IClassFixture<SeededSqliteStore>;

public sealed class QueryFuzzTestsOnPostgres(SeededPostgresStore store) : QueryFuzzTests(store), IClassFixture<SeededPostgresStore>;
