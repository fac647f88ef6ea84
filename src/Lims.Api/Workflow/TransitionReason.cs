namespace Lims.Workflow;

/// <summary>
/// The reason an action or job gives for the write it is about to make, carried to the write hook (which records
/// it in the history) without widening the generic write path. Scoped to the async flow of one write.
/// </summary>
public static class TransitionReason
{
    private static readonly AsyncLocal<string?> s_current = new();

    public static string? Current => s_current.Value;

    public static IDisposable Use(string? reason)
    {
        var previous = s_current.Value;
        s_current.Value = reason;
        return new Restore(previous);
    }

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}
