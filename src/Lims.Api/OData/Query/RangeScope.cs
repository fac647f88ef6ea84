using Lims.Collections;
using Lims.Storage;

namespace Lims.OData.Query;

/// <summary>What a range variable ($it, or a lambda's variable) stands for in SQL.</summary>
public abstract record RangeScope
{
    /// <summary>A primitive value at a path below the variable.</summary>
    public abstract string Value(SqlDialect dialect, IReadOnlyList<string> path, PrimitiveKind? kind);

    /// <summary>A JSON sub-document (object or array) at a path below the variable.</summary>
    public abstract string Fragment(SqlDialect dialect, IReadOnlyList<string> path);

    /// <summary>The declared field at a path, or null for dynamic keys.</summary>
    public abstract FieldDefinition? Field(IReadOnlyList<string> path);

    public PrimitiveKind? KindOf(IReadOnlyList<string> path) => Field(path)?.Type is PrimitiveType p ? p.Kind : null;

    protected static FieldDefinition? Walk(FieldDefinition? field, IReadOnlyList<string> path, int from)
    {
        for (var i = from; i < path.Count && field is not null; i++)
        {
            field = field.Type is ComplexType complex ? complex.Definition.Find(path[i]) : null;
        }
        return field;
    }
}

/// <summary>A row of a collection's table: hot fields read their column, others the document.</summary>
public sealed record EntityScope(CollectionDefinition Collection, string Alias) : RangeScope
{
    public override string Value(SqlDialect dialect, IReadOnlyList<string> path, PrimitiveKind? kind) =>
        PropertyAccess.Value(dialect, Collection, Alias, path, kind);

    public override string Fragment(SqlDialect dialect, IReadOnlyList<string> path) => dialect.JsonFragment($"{Alias}.doc", path);

    public override FieldDefinition? Field(IReadOnlyList<string> path) => path.Count == 0 ? null : Walk(Collection.Find(path[0]), path, 1);
}

/// <summary>An element of a JSON array taken apart by <see cref="SqlDialect.ArrayElements"/>: structured, or primitive of <see cref="Kind"/>.</summary>
public sealed record ElementScope(string Alias, ComplexTypeDefinition? Complex, PrimitiveKind? Kind) : RangeScope
{
    public override string Value(SqlDialect dialect, IReadOnlyList<string> path, PrimitiveKind? kind) =>
        path.Count == 0 ? dialect.ElementValue(Alias, Kind ?? kind) : dialect.JsonValue(dialect.ElementDocument(Alias), path, kind);

    public override string Fragment(SqlDialect dialect, IReadOnlyList<string> path) =>
        path.Count == 0 ? dialect.ElementDocument(Alias) : dialect.JsonFragment(dialect.ElementDocument(Alias), path);

    public override FieldDefinition? Field(IReadOnlyList<string> path) =>
        Complex is null || path.Count == 0 ? null : Walk(Complex.Find(path[0]), path, 1);
}
