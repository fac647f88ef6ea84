using Lims.Storage;

namespace Lims.Ingest;

/// <summary>
/// The transaction lock that makes writers of an acquisition's tiles and roll-ups take turns: ingests, so that an
/// identical request sent twice at once finds the first one's tiles stored and skips them (200, as on SQLite, whose
/// writers always take turns) instead of racing it to a unique violation; and the quality report, which counts the
/// tiles and then sets the roll-ups, so that an ingest committing in between is not overwritten by a stale count.
/// </summary>
public static class AcquisitionWriteLock
{
    public static Task TakeAsync(StoreSession session, string acquisitionId, CancellationToken ct) =>
        session.ExecuteAsync(session.Dialect.TransactionLock($"lims-acquisition-tiles:{acquisitionId}"), ct);
}
