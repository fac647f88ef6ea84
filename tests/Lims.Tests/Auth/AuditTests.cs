using System.Net;
using System.Text.Json.Nodes;
using Lims.Collections;
using Lims.Documents;
using Lims.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Lims.Tests.Auth;

public abstract class AuditTests(StoreFixture store)
{
    private static readonly string[] _counted = ["received", "inserted", "skipped"];

    private async Task<JsonArray> EntriesAsync(string entitySet, string key)
    {
        var reply = await HttpJson.GetJsonAsync(store.Client, $"/odata/AuditEntries?$filter=entity_set eq '{entitySet}' and entity_key eq '{key}'&$orderby=audit_id");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Value;
    }

    [Fact]
    public async Task Create_update_and_delete_are_recorded_with_actor_correlation_id_and_changes()
    {
        var name = $"tech-{Guid.NewGuid():N}"[..20];
        var key = (await store.Client.PostJsonAsync("/odata/ApiKeys", new JsonObject { ["name"] = name, ["role"] = "technician" })).Object["key"]!.GetValue<string>();
        using var technician = store.App.CreateClientWithKey(key);
        var id = $"AUD-{Guid.NewGuid():N}";

        Assert.Equal(HttpStatusCode.Created, (await technician.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = id, ["description"] = "first" }, ("X-Correlation-Id", "corr-create"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await technician.PatchJsonAsync($"/odata/Specimens('{id}')",
            new JsonObject { ["description"] = "second", ["specimen_images"] = new JsonArray("a.png") }, ("X-Correlation-Id", "corr-update"))).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await store.Client.DeleteJsonAsync($"/odata/Specimens('{id}')", ("X-Correlation-Id", "corr-delete"))).Status);

        var entries = await EntriesAsync("Specimens", id);
        Assert.Equal(["create", "update", "delete"], entries.Select(e => e!["operation"]!.GetValue<string>()));
        Assert.Equal([name, name, "bootstrap-admin"], entries.Select(e => e!["actor"]!.GetValue<string>()));
        Assert.Equal(["corr-create", "corr-update", "corr-delete"], entries.Select(e => e!["correlation_id"]!.GetValue<string>()));
        var changes = entries[1]!["changes"]!.AsObject();
        Assert.Equal(["description", "specimen_images"], changes.Select(c => c.Key).Order());
        Assert.Equal("first", changes["description"]!["before"]!.GetValue<string>());
        Assert.Equal("second", changes["description"]!["after"]!.GetValue<string>());
        Assert.Null(changes["specimen_images"]!["before"]);
        Assert.Equal("a.png", changes["specimen_images"]!["after"]![0]!.GetValue<string>());
        Assert.All(entries, e => Assert.NotNull(e!["created_at"]));
    }

    [Fact]
    public async Task A_cascade_delete_records_every_document_it_removes()
    {
        var lab = await new LabBuilder(store.Client).WithRoiAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await HttpJson.DeleteJsonAsync(store.Client, $"/odata/Blocks('{lab.BlockId}')?cascade=true")).Status);

        foreach (var (set, key) in new[] { ("Blocks", lab.BlockId), ("CuttingSessions", lab.CuttingSessionId), ("Sections", lab.SectionId), ("ROIs", $"{lab.RoiId}") })
        {
            var entries = await EntriesAsync(set, key);
            Assert.Equal("delete", entries[^1]!["operation"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_refused_write_leaves_no_entry()
    {
        var id = $"AUD-{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.BadRequest, (await store.Client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = id, ["description"] = 5 })).Status);
        Assert.Empty(await EntriesAsync("Specimens", id));
    }

    [Fact]
    public async Task An_action_is_recorded_as_that_action_with_its_reason_caller_and_correlation_id()
    {
        var lab = await new LabBuilder(store.Client).WithAcquisitionAsync();
        var reply = await store.Client.PostJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')/Lims.Fail",
            new JsonObject { ["reason"] = "beam drift" }, ("X-Correlation-Id", "corr-action"));
        Assert.Equal(HttpStatusCode.OK, reply.Status);

        var entry = (await EntriesAsync("Acquisitions", lab.AcquisitionId)).Last()!;
        Assert.Equal("action", entry["operation"]!.GetValue<string>());
        Assert.Equal("Lims.Fail", entry["action"]!.GetValue<string>());
        Assert.Equal("beam drift", entry["details"]!["reason"]!.GetValue<string>());
        Assert.Equal("failed", entry["changes"]!["status"]!["after"]!.GetValue<string>());
        Assert.Equal("bootstrap-admin", entry["actor"]!.GetValue<string>());
        Assert.Equal("corr-action", entry["correlation_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_ingest_batch_is_recorded_once_with_its_counts_and_caller()
    {
        var lab = await new LabBuilder(store.Client).WithAcquisitionAsync();
        var url = $"/odata/Acquisitions('{lab.AcquisitionId}')/tiles";
        var first = new JsonArray(lab.Tile(0, 0, 5), lab.Tile(0, 1, 5));
        Assert.Equal(HttpStatusCode.OK, (await store.Client.PostJsonAsync(url, first, ("X-Correlation-Id", "corr-ingest"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await store.Client.PostJsonAsync(url, new JsonArray(lab.Tile(0, 0, 5), lab.Tile(0, 2, 5)))).Status);

        var entries = await EntriesAsync("Tiles", lab.AcquisitionId);
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal("ingest", e!["operation"]!.GetValue<string>()));
        Assert.Equal("corr-ingest", entries[0]!["correlation_id"]!.GetValue<string>());
        Assert.Equal("bootstrap-admin", entries[0]!["actor"]!.GetValue<string>());
        int[] Counts(JsonNode entry) => [.. _counted.Select(n => entry["details"]![n]!.GetValue<int>())];
        Assert.Equal([2, 2, 0], Counts(entries[0]!));
        Assert.Equal([2, 1, 1], Counts(entries[1]!));
        // The tiles themselves are not recorded one by one.
        Assert.Empty(await EntriesAsync("Tiles", $"{lab.AcquisitionId}-r000-c000"));
    }

    [Fact]
    public async Task A_refused_ingest_batch_leaves_no_entry()
    {
        var lab = await new LabBuilder(store.Client).WithAcquisitionAsync();
        var tile = lab.Tile(0, 0, 5);
        tile["focus_score"] = "sharp";
        Assert.Equal(HttpStatusCode.BadRequest, (await store.Client.PostJsonAsync($"/odata/Acquisitions('{lab.AcquisitionId}')/tiles", new JsonArray(tile))).Status);
        Assert.Empty(await EntriesAsync("Tiles", lab.AcquisitionId));
    }

    [Fact]
    public async Task A_job_write_is_recorded_with_the_job_as_actor()
    {
        var documents = store.App.Services.GetRequiredService<DocumentService>();
        var id = $"AUD-{Guid.NewGuid():N}";
        await store.Client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = id });
        await documents.UpdateAsync(Catalog.Get("Specimens"), id, null, new WriteOrigin("job:test", WriteSource.Job) { Reason = "because" },
            d => { d["description"] = "x"; return d; }, false, CancellationToken.None);

        var entry = (await EntriesAsync("Specimens", id)).Last()!;
        Assert.Equal(("update", "job:test", "because"), (entry["operation"]!.GetValue<string>(), entry["actor"]!.GetValue<string>(), entry["details"]!["reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_seed_load_is_not_recorded_document_by_document()
    {
        var documents = store.App.Services.GetRequiredService<DocumentService>();
        var id = $"AUD-{Guid.NewGuid():N}";
        await documents.CreateAsync(Catalog.Get("Specimens"), new JsonObject { ["specimen_id"] = id }, WriteOrigin.Seed, CancellationToken.None);
        Assert.Empty(await EntriesAsync("Specimens", id));
    }

    [Fact]
    public async Task Entries_are_ordered_by_time_and_queryable_like_any_collection()
    {
        var id = $"AUD-{Guid.NewGuid():N}";
        await store.Client.PostJsonAsync("/odata/Specimens", new JsonObject { ["specimen_id"] = id });
        for (var i = 0; i < 3; i++)
        {
            await store.Client.PatchJsonAsync($"/odata/Specimens('{id}')", new JsonObject { ["description"] = $"v{i}" });
        }
        var reply = await HttpJson.GetJsonAsync(store.Client,
            $"/odata/AuditEntries?$filter=entity_key eq '{id}' and operation eq 'update'&$orderby=created_at desc&$select=changes&$count=true");
        Assert.Equal(3, reply.Object["@odata.count"]!.GetValue<int>());
        Assert.Equal(["v2", "v1", "v0"], reply.Value.Select(e => e!["changes"]!["description"]!["after"]!.GetValue<string>()));
    }
}

public sealed class SqliteAuditTests(SqliteStore store) : AuditTests(store), IClassFixture<SqliteStore>;

public sealed class PostgresAuditTests(PostgresStore store) : AuditTests(store), IClassFixture<PostgresStore>;
