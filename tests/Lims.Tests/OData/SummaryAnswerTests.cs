using System.Net;
using System.Text.Json.Nodes;
using Lims.Collections;
using Lims.Collections.Definitions;
using Lims.OData;
using Lims.OData.Query;
using Lims.Storage;
using Lims.Tests.Infrastructure;

namespace Lims.Tests.OData;

/// <summary>
/// A grouping $apply without a filter is answered from the tiles' summary (PostgreSQL): its answer must equal the one
/// scanned from the tiles (the same query behind a filter that keeps every tile), after inserts by ingest and by
/// single writes, an update and a delete.
/// </summary>
public abstract class SummaryAnswerTests(StoreFixture store)
{
    private const string Groups = "groupby((acquisition_id,roi_id),aggregate(focus_score with average as avg,focus_score with min as lo," +
                                  "focus_score with max as hi,mean_value with sum as total,$count as n))";

    private HttpClient Client => store.Client;

    [Fact]
    public async Task Summarised_groupby_equals_the_scanned_one_after_ingest_single_writes_update_and_delete()
    {
        var first = await new LabBuilder(Client).WithAcquisitionAsync(3, 4);
        var second = await new LabBuilder(Client).WithAcquisitionAsync(2, 2);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync($"/odata/Acquisitions('{first.AcquisitionId}')/tiles",
            new JsonArray([.. Enumerable.Range(0, 12).Select(i => (JsonNode)first.Tile(i / 4, i % 4, 4, focus: 0.1 + (i * 0.07)))]))).Status);
        foreach (var i in Enumerable.Range(0, 3))
        {
            Assert.Equal(HttpStatusCode.Created, (await Client.PostJsonAsync("/odata/Tiles", second.Tile(i / 2, i % 2, 2, focus: 0.3 + i))).Status);
        }
        await AssertSameAnswersAsync();

        var patched = await Client.PatchJsonAsync($"/odata/Tiles('{first.AcquisitionId}-r000-c000')", new JsonObject { ["focus_score"] = 0.001 });
        Assert.True(patched.Status is HttpStatusCode.OK or HttpStatusCode.NoContent);
        Assert.True((await Client.DeleteJsonAsync($"/odata/Tiles('{first.AcquisitionId}-r002-c003')")).Status is HttpStatusCode.NoContent or HttpStatusCode.OK);
        await AssertSameAnswersAsync();
    }

    [Fact]
    public void Only_unfiltered_groupings_on_summary_keys_of_decomposable_aggregates_use_the_summary()
    {
        // SQLite keeps no summaries: every answer is scanned there.
        var keeps = store.Kind == StoreKind.Postgres;
        Assert.Equal(keeps, Plan($"Tiles?$apply={Groups}").FromSummary);
        Assert.Equal(keeps, Plan("Tiles?$apply=groupby((roi_id),aggregate($count as n))").FromSummary);
        Assert.False(Plan("Tiles?$apply=filter(acquisition_id eq 'A')/groupby((roi_id),aggregate($count as n))").FromSummary);
        Assert.False(Plan("Tiles?$apply=groupby((raster_index),aggregate($count as n))").FromSummary);
        Assert.False(Plan("Tiles?$apply=groupby((roi_id),aggregate(focus_score with countdistinct as d))").FromSummary);
        Assert.False(Plan("Tiles?$apply=groupby((roi_id),aggregate(std_value with max as m))").FromSummary);
    }

    private async Task AssertSameAnswersAsync()
    {
        var summarised = Rows((await Client.GetJsonAsync($"/odata/Tiles?$apply={Groups}")).Object);
        var scanned = Rows((await Client.GetJsonAsync($"/odata/Tiles?$apply=filter(true)/{Groups}")).Object);
        Assert.Equal(scanned.Count, summarised.Count);
        Assert.NotEmpty(scanned);
        foreach (var (s, t) in scanned.Zip(summarised))
        {
            Assert.Equal(s["acquisition_id"]!.GetValue<string>(), t["acquisition_id"]!.GetValue<string>());
            Assert.Equal(s["roi_id"]?.GetValue<long>(), t["roi_id"]?.GetValue<long>());
            Assert.Equal(s["n"]!.GetValue<long>(), t["n"]!.GetValue<long>());
            foreach (var name in new[] { "avg", "lo", "hi", "total" })
            {
                // Sums added in another order may differ in the last bits, never more.
                Assert.Equal(s[name]!.GetValue<double>(), t[name]!.GetValue<double>(), 1e-9);
            }
        }
    }

    private static List<JsonObject> Rows(JsonObject body) =>
        [.. body["value"]!.AsArray().Select(r => r!.AsObject()).OrderBy(r => r["acquisition_id"]!.GetValue<string>(), StringComparer.Ordinal)];

    private ApplyPlan Plan(string relative)
    {
        var root = new Uri("http://localhost/odata/");
        var parser = ODataUriFactory.Create(EdmModelBuilder.Build(Catalog.All), root, new Uri(root, relative));
        parser.ParsePath();
        SqlDialect dialect = store.Kind == StoreKind.Postgres ? new PostgresDialect() : new SqliteDialect();
        var plan = QueryCompiler.Compile(parser, Tiles.Definition, dialect, new QueryContext(new ODataLimits(), TimeProvider.System, parser.ParameterAliasNodes));
        return plan.Apply!;
    }
}

public sealed class SummaryAnswerTests_Sqlite(SqliteStore store) : SummaryAnswerTests(store), IClassFixture<SqliteStore>;

public sealed class SummaryAnswerTests_Postgres(PostgresStore store) : SummaryAnswerTests(store), IClassFixture<PostgresStore>;
