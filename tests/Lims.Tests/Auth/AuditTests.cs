using System.Net;
using System.Text.Json.Nodes;
using Lims.Audit;
using Lims.Collections;
using Lims.Documents;
using Lims.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Lims.Tests.Auth;

public abstract class AuditTests(StoreFixture store)
{
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
    public async Task Actions_and_ingest_batches_are_recorded_through_the_trail_service()
    {
        var trail = store.App.Services.GetRequiredService<IAuditTrail>();
        var documents = store.App.Services.GetRequiredService<DocumentService>();
        var task = $"TASK-{Guid.NewGuid():N}";
        var acquisition = $"ACQ-{Guid.NewGuid():N}";
        await documents.Store.WriteAsync(async session =>
        {
            await trail.RecordAsync(session, new AuditRecord(AuditOperations.Action, "AcquisitionTasks", task, "scope-1")
            {
                Action = "Lims.Start",
                Details = new JsonObject { ["from"] = "Planned", ["to"] = "In Progress" },
                CorrelationId = "corr-action",
            }, CancellationToken.None);
            await trail.RecordAsync(session, new AuditRecord(AuditOperations.Ingest, "Tiles", acquisition, "scope-1")
            {
                Details = new JsonObject { ["tiles"] = 1200, ["acquisition_id"] = acquisition },
            }, CancellationToken.None);
            return 0;
        }, CancellationToken.None);

        var action = Assert.Single(await EntriesAsync("AcquisitionTasks", task));
        Assert.Equal("action", action!["operation"]!.GetValue<string>());
        Assert.Equal("Lims.Start", action["action"]!.GetValue<string>());
        Assert.Equal("In Progress", action["details"]!["to"]!.GetValue<string>());
        Assert.Equal("corr-action", action["correlation_id"]!.GetValue<string>());
        var ingest = Assert.Single(await EntriesAsync("Tiles", acquisition));
        Assert.Equal("ingest", ingest!["operation"]!.GetValue<string>());
        Assert.Equal(1200, ingest["details"]!["tiles"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_bulk_writer_can_replace_per_document_entries_by_one()
    {
        var trail = store.App.Services.GetRequiredService<IAuditTrail>();
        var documents = store.App.Services.GetRequiredService<DocumentService>();
        var id = $"AUD-{Guid.NewGuid():N}";
        using (trail.SuppressDocumentEntries())
        {
            await documents.CreateAsync(Catalog.Get("Specimens"), new JsonObject { ["specimen_id"] = id }, "bulk", CancellationToken.None);
        }
        Assert.Empty(await EntriesAsync("Specimens", id));

        await documents.UpdateAsync(Catalog.Get("Specimens"), id, null, "bulk", d => { d["description"] = "x"; return d; }, false, CancellationToken.None);
        Assert.Single(await EntriesAsync("Specimens", id));
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
