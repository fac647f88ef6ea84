using System.Text;

namespace Lims.Tests.Auth;

/// <summary>One hostile request. <see cref="MayBeHarmless"/>: a well-formed read whose hostile part is only data (a quoted
/// literal, a key), so 200 with nothing found or 404 is as right as a 400.</summary>
public sealed record HostileInput(string Category, string Method, string Url, byte[]? Body, bool MayBeHarmless = false, bool Chunked = false, string ContentType = "application/json")
{
    public override string ToString() => $"{Category}: {Method} {Url} {(Body is null ? "" : $"({Body.Length} bytes)")}";
}

/// <summary>
/// The adversarial corpus, generated from templates so it stays deterministic and reviewable: SQL injection in
/// $filter, $orderby, $search, $select, keys and bodies; malformed and deeply nested JSON; huge bodies; invalid
/// UTF-8; wrong types; overlong strings; abused query options.
/// </summary>
public static class AdversarialCorpus
{
    public static readonly string[] Injections =
    [
        "' OR '1'='1", "' OR 1=1 --", "'; DROP TABLE specimens; --", "\"; DROP TABLE specimens; --", "1; DELETE FROM specimens",
        "' UNION SELECT hash, name FROM api_key_hashes --", "') OR ('a'='a", "admin'--", "' OR ''='", "1' AND SLEEP(5)--",
        "'; SELECT pg_sleep(5); --", "' || (SELECT doc FROM api_keys) || '", "%27%20OR%201%3D1", "\\' OR 1=1", "' OR 1=1#",
        "'/**/OR/**/1=1", "1 OR 1=1", "x' AND json_extract(doc,'$.a')='", "'; ATTACH DATABASE '/tmp/x.db' AS x; --", "' COLLATE NOCASE --",
        "$.specimen_id", "doc->>'specimen_id'", "\0", "') ; VACUUM; --", "'\r\n' OR 1=1",
    ];

    private static readonly string[] _malformedJson =
    [
        "", " ", "{", "}", "{\"specimen_id\":", "{\"specimen_id\":\"x\"", "{\"specimen_id\":\"x\",}", "{'specimen_id':'x'}", "{specimen_id:\"x\"}",
        "{\"specimen_id\":\"x\"}}", "[", "]", "nul", "tru", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":NaN}", "{\"a\":Infinity}",
        "{\"a\":\"unterminated}", "{\"a\":\"bad \\x escape\"}", "{\"a\":\"\\u12\"}", "{\"a\":1 /* comment */}", "{\"a\":1}// trailing", "\"just a string\"",
        "42", "null", "{\"a\":[1,2,}", "{\"a\"::1}",
    ];

    private static readonly byte[][] _invalidUtf8 =
    [
        [0xC3, 0x28], [0xFF], [0xFE, 0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82], [0x80],
    ];

    /// <summary>Text that is not text: escaped lone UTF-16 surrogates in values, names and keys (once 500s, found by a fuzz run).</summary>
    private static readonly string[] _loneSurrogates = ["\\ud800", "\\udc00", "x\\udbffy", "\\udfff\\ud800"];

    public static IEnumerable<HostileInput> All(string existingSpecimen, string existingAcquisition, int maxBody, int maxString)
    {
        var ingest = $"/odata/Acquisitions('{existingAcquisition}')/tiles";
        foreach (var (s, i) in _loneSurrogates.Select((s, i) => (s, i)))
        {
            yield return new("surrogate", "POST", "/odata/Specimens", Json($"{{\"specimen_id\":\"CORPUS-SUR{i}{s}\"}}"));
            yield return new("surrogate", "POST", "/odata/Specimens", Json($"{{\"specimen_id\":\"CORPUS-SUR{i}\",\"description\":\"{s}\"}}"));
            yield return new("surrogate", "POST", "/odata/Specimens", Json($"{{\"specimen_id\":\"CORPUS-SUR{i}\",\"{s}\":1}}"));
            yield return new("surrogate", "PATCH", $"/odata/Specimens('{existingSpecimen}')", Json($"{{\"description\":\"{s}\"}}"));
            yield return new("surrogate", "POST", "/odata/Sections", Json($"[{{\"section_id\":\"CORPUS-SUR{i}{s}\"}}]"));
            yield return new("surrogate", "POST", ingest, Json($"[{{\"tile_id\":\"CORPUS-SUR{i}{s}\"}}]"));
            yield return new("surrogate", "POST", ingest, Json($"{{\"tile_id\":\"CORPUS-SUR{i}\",\"{s}\":1}}\n"), ContentType: "application/x-ndjson");
        }
        // What a single write refuses, a bulk ingest refuses too (once stored with 200).
        yield return new("overlong", "POST", ingest, Json($"[{{\"tile_id\":\"{new string('t', 9_000)}\"}}]"));
        yield return new("overlong", "POST", ingest, Json($"[{{\"tile_id\":\"CORPUS-T\",\"image_path\":\"{new string('p', maxString + 1)}\"}}]"));

        foreach (var (p, i) in Injections.Select((p, i) => (p, i)))
        {
            var e = Uri.EscapeDataString(p);
            var quoted = Uri.EscapeDataString(p.Replace("'", "''", StringComparison.Ordinal));
            yield return new("filter", "GET", $"/odata/Specimens?$filter=specimen_id eq '{e}'", null, MayBeHarmless: true);
            yield return new("filter", "GET", $"/odata/Specimens?$filter=specimen_id eq '{quoted}'", null, MayBeHarmless: true);
            yield return new("filter", "GET", $"/odata/Specimens?$filter=specimen_id eq {e}", null, MayBeHarmless: true);
            yield return new("filter", "GET", $"/odata/Specimens?$filter={e}", null);
            yield return new("filter", "GET", $"/odata/Specimens?$filter=contains(description,'{quoted}')", null, MayBeHarmless: true);
            yield return new("filter", "GET", $"/odata/Acquisitions?$filter=hardware_settings/{e} eq 1", null, MayBeHarmless: p.All(char.IsLetterOrDigit));
            yield return new("filter", "GET", $"/odata/Tiles?$filter=startswith({e},'a')", null, MayBeHarmless: true);
            yield return new("orderby", "GET", $"/odata/Specimens?$orderby={e}", null, MayBeHarmless: true);
            yield return new("orderby", "GET", $"/odata/Specimens?$orderby=specimen_id {e}", null);
            yield return new("search", "GET", $"/odata/Specimens?$search={e}", null, MayBeHarmless: true);
            yield return new("select", "GET", $"/odata/Specimens?$select={e}", null);
            // A NUL in the path never reaches the service (Kestrel refuses it; the test client cannot send it): a NUL key
            // stays in the query string and bodies.
            var k = p.Contains('\0') ? p.Replace("\0", "NUL", StringComparison.Ordinal) : p;
            var keyQuoted = Uri.EscapeDataString(k.Replace("'", "''", StringComparison.Ordinal));
            yield return new("key", "GET", $"/odata/Specimens('{keyQuoted}')", null, MayBeHarmless: true);
            yield return new("key", "GET", $"/odata/Specimens({Uri.EscapeDataString(k)})", null);
            yield return new("key", "GET", $"/odata/ROIs({Uri.EscapeDataString(k)})", null);
            yield return new("key", "GET", $"/odata/Specimens('{keyQuoted}')/blocks", null, MayBeHarmless: true);
            yield return new("body", "POST", "/odata/Blocks", Json($"{{\"block_id\":\"CORPUS-B{i}\",\"specimen_id\":{JsonString(p)}}}"));
            yield return new("body", "POST", "/odata/Tiles", Json($"{{\"tile_id\":{JsonString(p)},\"acquisition_id\":{JsonString(p)}}}"));
            yield return new("body", "PATCH", $"/odata/Specimens('CORPUS-MISSING-{i}')", Json($"{{\"description\":{JsonString(p)}}}"));
            yield return new("body", "POST", "/odata/Specimens", Json($"{{\"specimen_id\":{JsonString(p)},\"description\":{i}}}"));
        }

        foreach (var malformed in _malformedJson)
        {
            yield return new("malformed", "POST", "/odata/Specimens", Json(malformed));
            yield return new("malformed", "PATCH", $"/odata/Specimens('{existingSpecimen}')", Json(malformed));
        }

        foreach (var depth in new[] { 65, 200, 5000 })
        {
            yield return new("nested", "POST", "/odata/Specimens",
                Json("{\"specimen_id\":\"CORPUS-DEEP\",\"functional_imaging_metadata\":" + string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth) + "}"));
            yield return new("nested", "PATCH", $"/odata/Specimens('{existingSpecimen}')",
                Json("{\"specimen_images\":" + new string('[', depth) + new string(']', depth) + "}"));
        }

        var huge = Json("{\"specimen_id\":\"CORPUS-HUGE\",\"description\":\"" + new string('x', maxBody) + "\"}");
        yield return new("huge", "POST", "/odata/Specimens", huge);
        yield return new("huge", "POST", "/odata/Specimens", huge, Chunked: true);
        yield return new("huge", "PATCH", $"/odata/Specimens('{existingSpecimen}')", Json("[" + string.Join(",", Enumerable.Repeat("1", maxBody)) + "]"));
        yield return new("huge", "POST", "/odata/ApiKeys", Json("{\"name\":\"" + new string('n', maxBody) + "\",\"role\":\"admin\"}"));

        foreach (var bad in _invalidUtf8)
        {
            yield return new("utf8", "POST", "/odata/Specimens", [.. Encoding.UTF8.GetBytes("{\"specimen_id\":\"CORPUS-U"), .. bad, .. Encoding.UTF8.GetBytes("\"}")]);
            var escaped = string.Concat(bad.Select(b => $"%{b:X2}"));
            yield return new("utf8", "GET", $"/odata/Specimens?$filter=specimen_id eq '{escaped}'", null, MayBeHarmless: true);
            yield return new("utf8", "GET", $"/odata/Specimens('{escaped}')", null, MayBeHarmless: true);
        }

        string[] wrongTypes =
        [
            "{\"specimen_id\":5}", "{\"specimen_id\":null}", "{\"specimen_id\":[\"a\"]}", "{\"specimen_id\":{\"a\":1}}", "{\"specimen_id\":true}",
            "{\"specimen_id\":\"CORPUS-T\",\"description\":[]}", "{\"specimen_id\":\"CORPUS-T\",\"specimen_images\":\"a.png\"}",
            "{\"specimen_id\":\"CORPUS-T\",\"specimen_images\":[1,2]}", "{\"specimen_id\":\"CORPUS-T\",\"functional_imaging_metadata\":\"x\"}",
            "{\"specimen_id\":\"CORPUS-T\",\"created_at\":5,\"description\":7}", "[{\"specimen_id\":\"CORPUS-T\"}]", "[]", "[1,2,3]",
            "{\"specimen_id\":\"CORPUS-T\",\"description\":1e400}",
        ];
        foreach (var body in wrongTypes)
        {
            yield return new("types", "POST", "/odata/Specimens", Json(body));
        }
        yield return new("types", "POST", "/odata/Sections", Json("{\"section_id\":\"CORPUS-S\",\"section_number\":\"one\",\"cutting_session_id\":\"x\"}"));
        yield return new("types", "POST", "/odata/Sections", Json("{\"section_id\":\"CORPUS-S\",\"section_number\":1.5,\"cutting_session_id\":\"x\"}"));
        yield return new("types", "POST", "/odata/Sections", Json("{\"section_id\":\"CORPUS-S\",\"section_number\":99999999999999999999999,\"cutting_session_id\":\"x\"}"));
        yield return new("types", "POST", "/odata/ROIs", Json("{\"roi_id\":\"seven\",\"section_id\":\"x\"}"));
        yield return new("types", "POST", "/odata/ROIs", Json("{\"roi_id\":1e30,\"section_id\":\"x\"}"));
        yield return new("types", "POST", "/odata/ApiKeys", Json("{\"name\":[\"a\"],\"role\":{\"r\":1}}"));

        yield return new("overlong", "POST", "/odata/Specimens", Json($"{{\"specimen_id\":\"{new string('k', maxString)}\"}}"));
        yield return new("overlong", "POST", "/odata/Specimens", Json($"{{\"specimen_id\":\"CORPUS-L\",\"description\":\"{new string('d', maxString + 1)}\"}}"));
        yield return new("overlong", "PATCH", $"/odata/Specimens('{existingSpecimen}')", Json($"{{\"description\":\"{new string('d', maxString + 1)}\"}}"));
        yield return new("overlong", "PATCH", $"/odata/Specimens('{existingSpecimen}')", Json($"{{\"{new string('p', maxString + 1)}\":1}}"));
        // Beyond OData:MaxFilterLength (4000); a 400 once the query capability enforces it.
        yield return new("overlong", "GET", $"/odata/Specimens?$filter=specimen_id eq '{new string('f', 5000)}'", null, MayBeHarmless: true);
        yield return new("overlong", "GET", $"/odata/Specimens('{new string('k', 5000)}')", null, MayBeHarmless: true);

        yield return new("nul", "PATCH", $"/odata/Specimens('{existingSpecimen}')", Json("{\"description\":\"a\\u0000b\"}"));
        yield return new("nul", "POST", "/odata/Specimens", Json("{\"specimen_id\":\"CORPUS-\\u0000\"}"));
        yield return new("nul", "POST", "/odata/Specimens", Json("{\"specimen_id\":\"CORPUS-NUL\",\"x\\u0000\":1}"));

        string[] queryAbuse =
        [
            "$top=-1", "$top=abc", "$top=99999999999999999999", "$skip=-5", "$skip=1e3", "$count=maybe", "$select=no_such_field",
            "$expand=blocks($expand=cutting_sessions($expand=sections($expand=rois($expand=acquisition_tasks($expand=acquisitions($expand=tiles($expand=acquisition)))))))",
            "$expand=nothing", "$skiptoken=garbage", "$skiptoken=eyJhIjoxfQ", "$top=1&$top=2",
            "$filter=no_such_field eq 1", "$filter=specimen_id eq 1 add", "$levels=max",
        ];
        foreach (var query in queryAbuse)
        {
            yield return new("query", "GET", $"/odata/Specimens?{query}", null);
        }

        // Empty or unknown-to-Lims options are ignored, as OData allows; they must still not fail.
        foreach (var query in new[] { "$filter=", "$orderby=", "$format=xml", "$compute=1 as x", "$apply=groupby((specimen_id))" })
        {
            yield return new("query", "GET", $"/odata/Specimens?{query}", null, MayBeHarmless: true);
        }
    }

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    private static string JsonString(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
