using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Lims.Settings;

/// <summary>
/// One configuration key the service reads, derived from a property of an options class. A key may hold
/// placeholders (<c>{name}</c> for a dictionary entry, <c>{n}</c> for a list item) that match any one segment.
/// </summary>
public sealed class SettingDescriptor(string key, Type type, string defaultText, SettingAttribute? setting, IReadOnlyList<ValidationAttribute> rules)
{
    public string Key { get; } = key;

    /// <summary>The value's type, without <see cref="Nullable{T}"/>.</summary>
    public Type Type { get; } = Nullable.GetUnderlyingType(type) ?? type;

    /// <summary>Whether an empty value means "not set" (strings and nullable values); the binder cannot convert "" to a number.</summary>
    public bool MayBeEmpty { get; } = type == typeof(string) || Nullable.GetUnderlyingType(type) is not null;

    public string Default { get; } = defaultText;

    public string Meaning { get; } = setting?.Meaning ?? "";

    public SecretKind Secret { get; } = setting?.Secret ?? SecretKind.None;

    public IReadOnlyList<ValidationAttribute> Rules { get; } = rules;

    /// <summary>The key as an environment variable (<c>:</c> becomes <c>__</c>).</summary>
    public string EnvironmentVariable => Key.Replace(":", "__", StringComparison.Ordinal);

    public bool Matches(string concreteKey)
    {
        var pattern = Key.Split(':');
        var segments = concreteKey.Split(':');
        return pattern.Length == segments.Length && pattern.Zip(segments).All(p =>
            p.First.StartsWith('{') || string.Equals(p.First, p.Second, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Whether the key names a section above this setting (<c>Storage</c> for <c>Storage:Provider</c>).</summary>
    public bool IsBelow(string sectionKey)
    {
        var pattern = Key.Split(':');
        var segments = sectionKey.Split(':');
        return pattern.Length > segments.Length && pattern.Zip(segments).All(p =>
            p.First.StartsWith('{') || string.Equals(p.First, p.Second, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>What is wrong with a configured value of this setting, in words an operator can act on, or null.</summary>
    public string? Problem(string concreteKey, string raw)
    {
        var got = Secret == SecretKind.None ? $" (got '{raw}')" : "";
        if (raw.Length == 0 && MayBeEmpty)
        {
            return null;
        }
        if (!TryConvert(raw, out var value, out var expected))
        {
            return $"{concreteKey} must be {expected}{got}";
        }
        foreach (var rule in Rules)
        {
            if (!rule.IsValid(value))
            {
                return $"{Describe(rule, concreteKey)}{got}";
            }
        }
        return null;
    }

    /// <summary>The value as <c>config</c> shows it: secrets masked.</summary>
    public string Mask(string raw) => Secret switch
    {
        SecretKind.Whole => raw.Length == 0 ? "" : "*****",
        SecretKind.Password => ConnectionStrings.MaskPassword(raw),
        _ => raw,
    };

    private bool TryConvert(string raw, out object? value, out string expected)
    {
        value = raw;
        expected = "";
        if (Type.IsEnum)
        {
            var names = Enum.GetNames(Type);
            expected = names.Length == 1 ? names[0] : string.Join(", ", names[..^1]) + " or " + names[^1];
            var name = names.FirstOrDefault(n => string.Equals(n, raw.Trim(), StringComparison.OrdinalIgnoreCase));
            value = name is null ? null : Enum.Parse(Type, name);
            return name is not null;
        }
        var culture = CultureInfo.InvariantCulture;
        (var ok, value, expected) = Type switch
        {
            _ when Type == typeof(bool) => (bool.TryParse(raw, out var b), b, "true or false"),
            _ when Type == typeof(int) => (int.TryParse(raw, NumberStyles.Integer, culture, out var i), i, "a whole number"),
            _ when Type == typeof(long) => (long.TryParse(raw, NumberStyles.Integer, culture, out var l), l, "a whole number"),
            _ when Type == typeof(double) => (double.TryParse(raw, NumberStyles.Float, culture, out var d) && double.IsFinite(d), d, "a number"),
            _ when Type == typeof(decimal) => (decimal.TryParse(raw, NumberStyles.Number, culture, out var m), m, "a number"),
            _ when Type == typeof(TimeSpan) => (TimeSpan.TryParse(raw, culture, out var t), t, "a duration such as 00:00:30 (hh:mm:ss) or 1.00:00:00 (d.hh:mm:ss)"),
            _ => (true, (object?)raw, ""),
        };
        return ok;
    }

    private static string Describe(ValidationAttribute rule, string key) => rule switch
    {
        RangeAttribute range when IsUnbounded(range.Maximum) => $"{key} must be at least {range.Minimum}",
        RangeAttribute range => $"{key} must be between {range.Minimum} and {range.Maximum}",
        _ => rule.FormatErrorMessage(key),
    };

    private static bool IsUnbounded(object maximum) =>
        Convert.ToString(maximum, CultureInfo.InvariantCulture) is var text && (text == int.MaxValue.ToString(CultureInfo.InvariantCulture) || text == long.MaxValue.ToString(CultureInfo.InvariantCulture));
}
