namespace Lims.Settings;

/// <summary>How much of a setting's value <c>config</c> and error messages may show.</summary>
public enum SecretKind
{
    /// <summary>Shown as is.</summary>
    None,

    /// <summary>Never shown.</summary>
    Whole,

    /// <summary>A connection string: shown with its password masked.</summary>
    Password,
}

/// <summary>
/// Documents one configuration key of an options class: what it means (the README table is generated from it),
/// the default to print when the property's initial value does not tell (e.g. a default that depends on another
/// setting), and whether the value is secret. On a dictionary property it describes each entry.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingAttribute(string meaning) : Attribute
{
    public string Meaning { get; } = meaning;

    /// <summary>Overrides the default printed in the README and by <c>config</c>.</summary>
    public string? Default { get; init; }

    public SecretKind Secret { get; init; }
}
