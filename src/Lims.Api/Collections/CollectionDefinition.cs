namespace Lims.Collections;

/// <summary>
/// The one description of a collection. Storage tables and indexes, the EDM model, the routes,
/// the validators and the API docs are all derived from it.
/// </summary>
public sealed record CollectionDefinition
{
    public required string EntitySet { get; init; }
    public required string EntityType { get; init; }
    public required string Table { get; init; }
    public required FieldDefinition Key { get; init; }
    public required IReadOnlyList<FieldDefinition> Fields { get; init; }
    public IReadOnlyList<ReferenceDefinition> References { get; init; } = [];
    public IReadOnlyList<DenormalisedField> Denormalised { get; init; } = [];

    /// <summary>Groups of fields unique together (section_number within a cutting session).</summary>
    public IReadOnlyList<string[]> UniqueTogether { get; init; } = [];

    /// <summary>Composite indexes of typed columns, for reads that select by one field and range over (or order by) the next.</summary>
    public IReadOnlyList<string[]> Indexes { get; init; } = [];

    /// <summary>
    /// Scalar paths (nested ones too) kept in typed columns without an index of their own, so that filters, orders
    /// and aggregates on them read a column instead of parsing the document per row.
    /// </summary>
    public IReadOnlyList<string[]> TypedPaths { get; init; } = [];

    /// <summary>Aggregates kept per key combination for $apply (stores that keep summaries only).</summary>
    public SummaryDefinition? Summary { get; init; }

    /// <summary>Rules across fields, beyond what each field's definition implies.</summary>
    public IReadOnlyList<FluentValidation.IValidator<System.Text.Json.Nodes.JsonObject>> Rules { get; init; } = [];

    /// <summary>POST of a JSON array creates all its documents in one transaction.</summary>
    public bool AllowsBatchCreate { get; init; }

    /// <summary>Served for reading only; documents are written by the service itself (reports, history).</summary>
    public bool ReadOnly { get; init; }

    /// <summary>An integer key the server assigns (max + 1) when a create omits it.</summary>
    public bool ServerAssignsKey { get; init; }

    public string? Description { get; init; }

    public bool HasIntegerKey => Key.Type == FieldType.Int;

    /// <summary>Key first, then the declared fields, then the server-set timestamps.</summary>
    public IEnumerable<FieldDefinition> AllFields => Fields.Prepend(Key).Concat(Timestamps.All);

    public IEnumerable<FieldDefinition> HotFields => AllFields.Where(f => f.Hot && f != Key);

    /// <summary>Every typed column: the hot fields, then the typed paths.</summary>
    public IEnumerable<TypedColumn> Columns => HotFields.Select(f => new TypedColumn(f.Name, [f.Name], KindOf([f.Name]), f.OwnIndex))
        .Concat(TypedPaths.Select(p => new TypedColumn(string.Join("_", p), p, KindOf(p), Indexed: false)));

    /// <summary>The typed column holding a path, or null when the path is read from the document.</summary>
    public TypedColumn? ColumnFor(IReadOnlyList<string> path) => Columns.FirstOrDefault(c => c.Path.SequenceEqual(path));

    private PrimitiveKind KindOf(IReadOnlyList<string> path)
    {
        var field = Find(path[0]);
        for (var i = 1; i < path.Count && field is not null; i++)
        {
            field = field.Type is ComplexType complex ? complex.Definition.Find(path[i]) : null;
        }
        return field?.Type is PrimitiveType primitive ? primitive.Kind
            : throw new InvalidOperationException($"{EntitySet}: {string.Join("/", path)} is not a declared scalar.");
    }

    public FieldDefinition? Find(string name) => AllFields.FirstOrDefault(f => f.Name == name);

    public ReferenceDefinition? ReferenceFor(string field) => References.FirstOrDefault(r => r.Field == field);
}

/// <summary>A generated column of a collection's table: its name, the document path it is computed from, its type.</summary>
public sealed record TypedColumn(string Name, IReadOnlyList<string> Path, PrimitiveKind Kind, bool Indexed);

public static class Timestamps
{
    public const string CreatedAt = "created_at";
    public const string UpdatedAt = "updated_at";

    public static readonly IReadOnlyList<FieldDefinition> All =
    [
        new(CreatedAt, FieldType.DateTime) { ServerSet = true, Hot = true, Description = "When the document was created (server-set)." },
        new(UpdatedAt, FieldType.DateTime) { ServerSet = true, Hot = true, Description = "When the document was last changed (server-set)." },
    ];
}
