namespace Lims.OData;

/// <summary>
/// Decides whether the caller may make a parsed OData request; called by the dispatcher before any extension
/// or handler sees the request. Refuses by throwing an <see cref="Errors.ApiException"/> (401 or 403).
/// </summary>
public interface IRequestAuthorizer
{
    Task AuthorizeAsync(ODataRequest request);
}
