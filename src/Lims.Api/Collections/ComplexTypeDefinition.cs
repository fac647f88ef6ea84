namespace Lims.Collections;

/// <summary>A named structured shape (stage_position, hardware_settings, ...). Open: extra keys are kept.</summary>
public sealed record ComplexTypeDefinition(string Name, IReadOnlyList<FieldDefinition> Fields)
{
    public FieldDefinition? Find(string name) => Fields.FirstOrDefault(f => f.Name == name);
}
