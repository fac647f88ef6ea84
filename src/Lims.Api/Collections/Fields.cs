namespace Lims.Collections;

/// <summary>Short constructors so that each definition reads like the ERD it comes from.</summary>
internal static class F
{
    public static FieldDefinition Str(string name, string? description = null) => new(name, FieldType.String) { Description = description };
    public static FieldDefinition Int(string name, string? description = null) => new(name, FieldType.Int) { Description = description };
    public static FieldDefinition Float(string name, string? description = null) => new(name, FieldType.Float) { Description = description };
    public static FieldDefinition Bool(string name, string? description = null) => new(name, FieldType.Bool) { Description = description };
    public static FieldDefinition Time(string name, string? description = null) => new(name, FieldType.DateTime) { Description = description };
    public static FieldDefinition Obj(string name, ComplexTypeDefinition type, string? description = null) => new(name, new ComplexType(type)) { Description = description };
    public static FieldDefinition ObjList(string name, ComplexTypeDefinition type, string? description = null) => new(name, FieldType.ListOf(new ComplexType(type))) { Description = description };
    public static FieldDefinition StrList(string name, string? description = null) => new(name, FieldType.ListOf(FieldType.String)) { Description = description };
    public static FieldDefinition NumList(string name, string? description = null) => new(name, FieldType.ListOf(FieldType.Float)) { Description = description };

    public static FieldDefinition Enum(string name, string? description, params string[] values) =>
        new(name, FieldType.String) { AllowedValues = values, Description = description };

    public static FieldDefinition Key(string name, string description) => new(name, FieldType.String) { Required = true, Hot = true, Description = description };

    /// <summary>A reference field: indexed, because guards, expands and joins look it up.</summary>
    public static FieldDefinition Ref(string name, string description, bool required = false) =>
        new(name, FieldType.String) { Required = required, Hot = true, Description = description };

    public static FieldDefinition IntRef(string name, string description, bool required = false) =>
        new(name, FieldType.Int) { Required = required, Hot = true, Description = description };
}
