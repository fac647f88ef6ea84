namespace Lims.Collections;

/// <summary>One field of a collection or complex type, with the rules that apply to its value.</summary>
public sealed record FieldDefinition(string Name, FieldType Type)
{
    public bool Required { get; init; }

    /// <summary>For enumerations: the exact wire strings allowed.</summary>
    public IReadOnlyList<string>? AllowedValues { get; init; }

    public double? Minimum { get; init; }
    public double? Maximum { get; init; }

    /// <summary>A minimum that the value must exceed, not merely reach (section_number &gt; 0).</summary>
    public bool ExclusiveMinimum { get; init; }

    /// <summary>Value stored when a create omits the field.</summary>
    public object? Default { get; init; }

    /// <summary>Copied into an indexed column so filters, joins and guards on it use an index.</summary>
    public bool Hot { get; init; }

    /// <summary>A hot field's column gets an index of its own; false when a composite index of the collection serves it.</summary>
    public bool OwnIndex { get; init; } = true;

    /// <summary>Set by the server (created_at, updated_at): clients cannot write it.</summary>
    public bool ServerSet { get; init; }

    /// <summary>For string lists: items must be unique.</summary>
    public bool UniqueItems { get; init; }

    public string? Description { get; init; }
}
