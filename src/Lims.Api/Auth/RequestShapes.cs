using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace Lims.Auth;

/// <summary>Reduces a parsed OData path to what the access policy looks at: its shape and the action or navigation it names.</summary>
public static class RequestShapes
{
    public static (RouteShape Shape, string? Name) Of(IReadOnlyList<ODataPathSegment> segments) => segments.Skip(1).ToList() switch
    {
        [] => (RouteShape.Collection, null),
        [CountSegment] => (RouteShape.Count, null),
        [OperationSegment operation] => (RouteShape.Action, OperationName(operation)),
        [KeySegment] => (RouteShape.Entity, null),
        [KeySegment, OperationSegment operation] => (RouteShape.Action, OperationName(operation)),
        [KeySegment, NavigationPropertySegment navigation] => (RouteShape.Navigation, navigation.NavigationProperty.Name),
        [KeySegment, NavigationPropertySegment navigation, CountSegment] => (RouteShape.NavigationCount, navigation.NavigationProperty.Name),
        _ => (RouteShape.Other, null),
    };

    private static string OperationName(OperationSegment segment) => segment.Operations.First().FullName();
}
