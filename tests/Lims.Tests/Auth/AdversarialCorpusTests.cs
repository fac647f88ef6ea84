using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lims.Auth;
using Lims.Collections;
using Lims.Jobs;
using Lims.Storage;
using Lims.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Lims.Tests.Auth;

/// <summary>
/// Every input of <see cref="AdversarialCorpus"/> sent with the admin key (so no refusal hides a deeper failure): each
/// answer is a 4xx with an OData error body (or, for a well-formed read whose hostile part is only data, 200 or 404),
/// never a 5xx, and every table holds exactly what it held before.
/// </summary>
public abstract class AdversarialCorpusTests(StoreFixture store)
{
    [Fact]
    public async Task Hostile_input_is_refused_with_a_client_error_and_changes_nothing()
    {
        var lab = await new LabBuilder(store.Client).WithAcquisitionAsync();
        await lab.Create("Tiles", lab.Tile(0, 0, 5));
        var corpus = AdversarialCorpus.All(lab.SpecimenId, lab.AcquisitionId, LimitsTests.MaxBody, LimitsTests.MaxString).ToList();
        Assert.True(corpus.Count >= 500, $"the corpus has {corpus.Count} inputs");
        var before = await DumpAsync();

        var failures = new List<string>();
        var refused = 0;
        foreach (var input in corpus)
        {
            var (status, error) = await SendAsync(input);
            // 501 answers valid OData that Lims does not serve (functions, $apply): a refusal, not a crash.
            var notServed = input.Method == "GET" && status == HttpStatusCode.NotImplemented && error;
            if (((int)status is >= 400 and < 500 && error) || notServed)
            {
                refused++;
                continue;
            }
            // A well-formed read whose hostile part is only data may find nothing; every other input must be refused.
            var harmless = input.MayBeHarmless && input.Method == "GET" && (status == HttpStatusCode.OK || (status == HttpStatusCode.NotFound && error));
            if (!harmless)
            {
                failures.Add($"{(int)status}{(error ? "" : " without an OData error body")} for {input}");
            }
        }

        // Every input not marked MayBeHarmless is refused (100 %): each one that is not is listed.
        Assert.True(failures.Count == 0, $"{failures.Count} of {corpus.Count} inputs were not refused ({refused} were):\n" + string.Join("\n", failures));
        Assert.Equal(before, await DumpAsync());
    }

    private async Task<(HttpStatusCode Status, bool ErrorBody)> SendAsync(HostileInput input)
    {
        using var request = new HttpRequestMessage(new HttpMethod(input.Method), input.Url);
        if (input.Body is { } body)
        {
            request.Content = input.Chunked ? new StreamContent(new UnseekableStream(body)) : new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(input.ContentType);
        }
        using var response = await store.Client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var error = document.RootElement.TryGetProperty("error", out var e) &&
                        e.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String &&
                        e.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String;
            return (response.StatusCode, error);
        }
        catch (JsonException)
        {
            return (response.StatusCode, false);
        }
    }

    /// <summary>A digest of every row of every table the service writes, in key order.</summary>
    private async Task<string> DumpAsync()
    {
        var documents = store.App.Services.GetRequiredService<DocumentStore>();
        var queries = Catalog.All.Select(c => $"SELECT id, doc, row_version FROM {c.Table} ORDER BY id")
            .Append($"SELECT hash, name FROM {ApiKeyHashesTable.Table} ORDER BY hash")
            .Append($"SELECT job, key, due_at FROM {JobRequestsTable.Table} ORDER BY job, key");
        var text = new StringBuilder();
        await documents.ReadAsync(async session =>
        {
            foreach (var sql in queries)
            {
                await using var command = session.Command(sql);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        text.Append(reader.GetValue(i)).Append('\u001f');
                    }
                    text.Append('\n');
                }
                text.Append("--\n");
            }
            return 0;
        }, CancellationToken.None);
        Assert.Contains("bootstrap-admin", text.ToString(), StringComparison.Ordinal);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

public sealed class SqliteAdversarialCorpusTests(SmallLimitsSqlite store) : AdversarialCorpusTests(store), IClassFixture<SmallLimitsSqlite>;

public sealed class PostgresAdversarialCorpusTests(SmallLimitsPostgres store) : AdversarialCorpusTests(store), IClassFixture<SmallLimitsPostgres>;
