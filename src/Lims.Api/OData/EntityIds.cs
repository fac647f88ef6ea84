using System.Globalization;
using Lims.Collections;
using Lims.Errors;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace Lims.OData;

/// <summary>Entity ids (<c>Specimens('S1')</c>, relative to the service root or absolute) as a collection and key.</summary>
public static class EntityIds
{
    public static (CollectionDefinition Collection, object Key) Resolve(IEdmModel model, Uri serviceRoot, string id)
    {
        try
        {
            var uri = new Uri(serviceRoot, id);
            var segments = ODataUriFactory.Create(model, serviceRoot, uri).ParsePath().ToList();
            if (segments is [EntitySetSegment set, KeySegment key] && Catalog.Find(set.EntitySet.Name) is { } collection)
            {
                return (collection, KeyValue(collection, key));
            }
        }
        catch (Exception e) when (e is ODataException or UriFormatException)
        {
            throw ApiException.BadRequest($"'{id}' is not an entity id of this service: {e.Message}");
        }
        throw ApiException.BadRequest($"'{id}' is not an entity id of this service; ids look like Specimens('S1').");
    }

    /// <summary>The key a key segment names, typed as the collection stores it.</summary>
    public static object KeyValue(CollectionDefinition collection, KeySegment segment)
    {
        var value = segment.Keys.Single().Value;
        return collection.HasIntegerKey ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : (string)value;
    }
}
