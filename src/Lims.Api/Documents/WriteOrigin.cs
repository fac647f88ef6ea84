namespace Lims.Documents;

/// <summary>Where a write comes from; hooks and the audit trail may treat sources differently (a seed load is not audited).</summary>
public enum WriteSource
{
    Api,
    Batch,
    Ingest,
    Action,
    Job,
    Seed,
    Import,
}

/// <summary>
/// Who writes and why, handed from the entry point (request handler, action, job, ingest, seed loader) through every
/// stage of the write pipeline to the hooks and the audit trail. Passed explicitly rather than kept in ambient state,
/// so a change set of several writes or a job running between requests carries exactly its own.
/// </summary>
public sealed record WriteOrigin(string Actor, WriteSource Source)
{
    /// <summary>Why the write is made (a transition reason); recorded in the history and the audit entry.</summary>
    public string? Reason { get; init; }

    /// <summary>The request's correlation id, or null outside a request.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The bound action making the write (<c>Lims.Start</c>), for <see cref="WriteSource.Action"/>.</summary>
    public string? Action { get; init; }

    public static WriteOrigin Seed { get; } = new("seed", WriteSource.Seed);
}
