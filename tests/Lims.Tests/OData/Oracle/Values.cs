using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lims.Collections;
using Microsoft.OData.Edm;

namespace Lims.Tests.OData.Oracle;

/// <summary>An entity of the in-memory lab: its collection and document.</summary>
public sealed record Entity(CollectionDefinition Collection, JsonObject Document)
{
    public object Key => Values.FromJson(Document[Collection.Key.Name], Collection.HasIntegerKey ? EdmPrimitiveTypeKind.Int64 : EdmPrimitiveTypeKind.String)!;
}

/// <summary>Plain values of the oracle: null, string, long, double, bool, JsonObject (structured), lists, entities.</summary>
public static class Values
{
    public static object? FromJson(JsonNode? node, EdmPrimitiveTypeKind? kind) => node switch
    {
        null => null,
        JsonObject or JsonArray => (object)node,
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => (object)value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => Number(value.ToJsonString(), kind),
            _ => null,
        },
        _ => null,
    };

    // Nodes built in code hold CLR numbers of any width; their JSON text is the one common form.
    private static object Number(string text, EdmPrimitiveTypeKind? kind) =>
        kind is not EdmPrimitiveTypeKind.Double && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)
            ? (object)l
            : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>OData literals as the stored text/number forms.</summary>
    public static object? FromLiteral(object? value) => value switch
    {
        null => null,
        DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
        DateOnly date => $"{date.Year:0000}-{date.Month:00}-{date.Day:00}",
        TimeOnly t => $"{t.Hour:00}:{t.Minute:00}:{t.Second:00}.{t.Ticks % TimeSpan.TicksPerSecond:0000000}",
#pragma warning disable CS0618 // ODL 8 still parses Edm.Date/TimeOfDay literals into these.
        Date date => $"{date.Year:0000}-{date.Month:00}-{date.Day:00}",
        TimeOfDay t => $"{t.Hours:00}:{t.Minutes:00}:{t.Seconds:00}.{t.Ticks % TimeSpan.TicksPerSecond:0000000}",
#pragma warning restore CS0618
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        decimal d => (double)d,
        float f => (double)f,
        _ => value,
    };

    public static bool IsNumber(object? v) => v is long or double;

    public static double ToDouble(object v) => Convert.ToDouble(v, CultureInfo.InvariantCulture);

    /// <summary>Orders two non-null values as the databases do: numbers by value, text by code point, false before true.</summary>
    public static int Compare(object a, object b) => (a, b) switch
    {
        (long x, long y) => x.CompareTo(y),
        _ when IsNumber(a) && IsNumber(b) => ToDouble(a).CompareTo(ToDouble(b)),
        (string x, string y) => string.CompareOrdinal(x, y),
        (bool x, bool y) => x.CompareTo(y),
        _ => throw new InvalidOperationException($"Cannot compare {a} with {b}"),
    };

    public static bool Equal(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        _ => Compare(a, b) == 0,
    };

    /// <summary>Null-first ascending comparison used for sorting.</summary>
    public static int CompareNullable(object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        _ => Compare(a, b),
    };

    public static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        string s => JsonValue.Create(s),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        _ => throw new InvalidOperationException($"No JSON for {value.GetType()}"),
    };
}
