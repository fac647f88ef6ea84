namespace Lims.Collections;

/// <summary>The wire type of a field: a primitive, a structured (complex) shape, or a list.</summary>
public abstract record FieldType
{
    public static readonly FieldType String = new PrimitiveType(PrimitiveKind.String);
    public static readonly FieldType Int = new PrimitiveType(PrimitiveKind.Int);
    public static readonly FieldType Float = new PrimitiveType(PrimitiveKind.Float);
    public static readonly FieldType Bool = new PrimitiveType(PrimitiveKind.Bool);
    public static readonly FieldType DateTime = new PrimitiveType(PrimitiveKind.DateTime);

    public static FieldType ListOf(FieldType element) => new ListType(element);
}

public enum PrimitiveKind { String, Int, Float, Bool, DateTime }

public sealed record PrimitiveType(PrimitiveKind Kind) : FieldType;

/// <summary>A structured value; always open, so unknown extra keys are kept.</summary>
public sealed record ComplexType(ComplexTypeDefinition Definition) : FieldType;

public sealed record ListType(FieldType Element) : FieldType;
