using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Lims.Tests.Infrastructure;

public class PostgresServerTests
{
    [PostgresFact]
    public async Task Databases_are_distinct_and_usable()
    {
        var first = await PostgresServer.CreateDatabaseAsync("servertests");
        var second = await PostgresServer.CreateDatabaseAsync("servertests");
        Assert.NotEqual(first, second);

        await using (var a = new NpgsqlConnection(first))
        {
            await a.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE samples (id int PRIMARY KEY); INSERT INTO samples VALUES (1)", a);
            await create.ExecuteNonQueryAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM samples", a);
            Assert.Equal(1L, await count.ExecuteScalarAsync());
        }

        await using var b = new NpgsqlConnection(second);
        await b.OpenAsync();
        await using var lookup = new NpgsqlCommand("SELECT to_regclass('public.samples') IS NULL", b);
        Assert.Equal(true, await lookup.ExecuteScalarAsync());
    }

    [PostgresTheory]
    [InlineData("Received")]
    [InlineData("Ünïcödé \"quoted\"")]
    public async Task Jsonb_round_trips(string status)
    {
        await using var connection = new NpgsqlConnection(await PostgresServer.CreateDatabaseAsync("Jsonb-Tests"));
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("CREATE TABLE docs (id int, body jsonb)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }
        var json = JsonSerializer.Serialize(new { status, tags = (string[])["a", "b"], volume = 1.5 });
        await using (var insert = new NpgsqlCommand("INSERT INTO docs VALUES (1, @body)", connection))
        {
            insert.Parameters.AddWithValue("body", NpgsqlDbType.Jsonb, json);
            await insert.ExecuteNonQueryAsync();
        }

        // jsonb normalises the text, so compare parsed values and query with a jsonb operator.
        await using var select = new NpgsqlCommand("SELECT body::text, body->>'status' FROM docs WHERE body @> '{\"tags\": [\"b\"]}'", connection);
        await using var reader = await select.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        using var body = JsonDocument.Parse(reader.GetString(0));
        Assert.Equal(status, body.RootElement.GetProperty("status").GetString());
        Assert.Equal(1.5, body.RootElement.GetProperty("volume").GetDouble());
        Assert.Equal(status, reader.GetString(1));
    }
}
