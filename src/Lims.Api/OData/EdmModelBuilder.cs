using Lims.Collections;
using Microsoft.OData.Edm;

namespace Lims.OData;

/// <summary>Builds the one immutable EDM model of the service from the collection definitions.</summary>
public static class EdmModelBuilder
{
    public const string Namespace = "Lims";
    public const string ContainerName = "Container";

    public static IEdmModel Build(IEnumerable<CollectionDefinition> collections, Action<EdmModel, EdmEntityContainer>? extend = null)
    {
        var model = new EdmModel();
        var complexTypes = new Dictionary<ComplexTypeDefinition, EdmComplexType>();
        var collectionList = collections.ToList();

        foreach (var definition in ComplexTypes.All.Concat(ReachableComplexTypes(collectionList)).Distinct())
        {
            complexTypes[definition] = new EdmComplexType(Namespace, definition.Name, baseType: null, isAbstract: false, isOpen: true);
            model.AddElement(complexTypes[definition]);
        }
        foreach (var (definition, type) in complexTypes)
        {
            foreach (var field in definition.Fields)
            {
                type.AddStructuralProperty(field.Name, TypeOf(field, complexTypes));
            }
        }

        var entityTypes = new Dictionary<string, EdmEntityType>();
        foreach (var collection in collectionList)
        {
            var type = new EdmEntityType(Namespace, collection.EntityType, baseType: null, isAbstract: false, isOpen: true);
            var key = type.AddStructuralProperty(collection.Key.Name, EdmCoreModel.Instance.GetPrimitive(PrimitiveKindOf(((PrimitiveType)collection.Key.Type).Kind), isNullable: false));
            type.AddKeys(key);
            foreach (var field in collection.Fields.Concat(Timestamps.All))
            {
                type.AddStructuralProperty(field.Name, TypeOf(field, complexTypes));
            }
            model.AddElement(type);
            entityTypes[collection.EntitySet] = type;
        }

        var container = new EdmEntityContainer(Namespace, ContainerName);
        model.AddElement(container);
        var sets = collectionList.ToDictionary(c => c.EntitySet, c => container.AddEntitySet(c.EntitySet, entityTypes[c.EntitySet]));

        foreach (var collection in collectionList)
        {
            foreach (var reference in collection.References.Where(r => entityTypes.ContainsKey(r.Target)))
            {
                var source = entityTypes[collection.EntitySet];
                var target = entityTypes[reference.Target];
                var dependent = (IEdmStructuralProperty)source.FindProperty(reference.Field);
                var required = collection.Find(reference.Field)?.Required == true;
                var forward = source.AddBidirectionalNavigation(
                    new EdmNavigationPropertyInfo
                    {
                        Name = reference.Navigation,
                        Target = target,
                        TargetMultiplicity = required ? EdmMultiplicity.One : EdmMultiplicity.ZeroOrOne,
                        DependentProperties = [dependent],
                        PrincipalProperties = target.Key(),
                    },
                    new EdmNavigationPropertyInfo
                    {
                        Name = reference.ReverseNavigation,
                        Target = source,
                        TargetMultiplicity = EdmMultiplicity.Many,
                    });
                sets[collection.EntitySet].AddNavigationTarget(forward, sets[reference.Target]);
                sets[reference.Target].AddNavigationTarget(forward.Partner, sets[collection.EntitySet]);
            }
        }

        extend?.Invoke(model, container);
        return model;
    }

    private static HashSet<ComplexTypeDefinition> ReachableComplexTypes(IEnumerable<CollectionDefinition> collections)
    {
        var seen = new HashSet<ComplexTypeDefinition>();
        var pending = new Stack<FieldDefinition>(collections.SelectMany(c => c.Fields));
        while (pending.TryPop(out var field))
        {
            var type = field.Type is ListType list ? list.Element : field.Type;
            if (type is ComplexType complex && seen.Add(complex.Definition))
            {
                foreach (var inner in complex.Definition.Fields)
                {
                    pending.Push(inner);
                }
            }
        }
        return seen;
    }

    private static IEdmTypeReference TypeOf(FieldDefinition field, IReadOnlyDictionary<ComplexTypeDefinition, EdmComplexType> complexTypes)
    {
        var nullable = !field.Required;
        return field.Type switch
        {
            ListType list => new EdmCollectionTypeReference(new EdmCollectionType(ElementType(list.Element, complexTypes))),
            _ => ElementType(field.Type, complexTypes, nullable),
        };
    }

    private static IEdmTypeReference ElementType(FieldType type, IReadOnlyDictionary<ComplexTypeDefinition, EdmComplexType> complexTypes, bool nullable = true) => type switch
    {
        PrimitiveType p => EdmCoreModel.Instance.GetPrimitive(PrimitiveKindOf(p.Kind), nullable),
        ComplexType c => new EdmComplexTypeReference(complexTypes[c.Definition], nullable),
        _ => throw new NotSupportedException($"Lists of lists are not part of the schema: {type}"),
    };

    public static EdmPrimitiveTypeKind PrimitiveKindOf(PrimitiveKind kind) => kind switch
    {
        PrimitiveKind.String => EdmPrimitiveTypeKind.String,
        PrimitiveKind.Int => EdmPrimitiveTypeKind.Int64,
        PrimitiveKind.Float => EdmPrimitiveTypeKind.Double,
        PrimitiveKind.Bool => EdmPrimitiveTypeKind.Boolean,
        PrimitiveKind.DateTime => EdmPrimitiveTypeKind.DateTimeOffset,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
