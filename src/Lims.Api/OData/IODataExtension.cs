using Lims.Collections;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace Lims.OData;

/// <summary>One parsed OData request, as the dispatcher hands it to whoever serves it.</summary>
public sealed record ODataRequest(HttpContext Http, ODataUriParser Parser, ODataPath Path, CollectionDefinition Collection, object? Key, string Actor)
{
    public Uri ServiceRoot => Parser.ServiceRoot;

    /// <summary>Marks (in <see cref="HttpContext.Items"/>) a request that runs as one operation of a $batch.</summary>
    public const string BatchOperationItem = "Lims.BatchOperation";

    /// <summary>The write context of this request: its caller, its source (API or batch unless said) and correlation id.</summary>
    public Documents.WriteOrigin Origin(Documents.WriteSource? source = null) =>
        new(Actor, source ?? (Http.Items.ContainsKey(BatchOperationItem) ? Documents.WriteSource.Batch : Documents.WriteSource.Api))
        {
            CorrelationId = Http.TraceIdentifier,
        };
}

/// <summary>
/// A capability that adds to the OData surface (bound actions, tile ingest on a navigation): it extends the
/// model once at start-up and is offered each request before the generic document handlers.
/// </summary>
public interface IODataExtension
{
    void ExtendModel(EdmModel model, EdmEntityContainer container);

    /// <summary>Serves the request and returns true, or returns false to leave it to the next handler.</summary>
    Task<bool> TryHandleAsync(ODataRequest request);
}
