using System.Text.Json.Nodes;
using Lims.Collections;
using Lims.Storage;

namespace Lims.Documents;

/// <summary>
/// A write about to be stored, seen inside its transaction. <see cref="Before"/> is null for a create,
/// <see cref="After"/> null for a delete. A hook may change <see cref="After"/>, reject the write by throwing an
/// ApiException, or write more rows (history, job triggers) through <see cref="Session"/>.
/// </summary>
public sealed record WriteContext(StoreSession Session, CollectionDefinition Collection, object Key, JsonObject? Before, JsonObject? After, WriteOrigin Origin)
{
    public string Actor => Origin.Actor;
}

/// <summary>
/// Capabilities that react to document writes (state machines, roll-ups, audit) implement this. Hooks run in the
/// order <see cref="WriteHooks.Order"/> declares, whatever order they were registered in.
/// </summary>
public interface IDocumentWriteHook
{
    Task OnWriteAsync(WriteContext context, CancellationToken ct);
}
