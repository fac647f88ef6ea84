namespace Lims.Workflow;

/// <summary>
/// The reason an action or job gives for the write it is about to make, carried to the write hook (which records
/// it in the history) without widening the generic write path. Scoped to the async flow of one write.
/// </summary>
public static class TransitionReason
{
    private static readonly AsyncLocal<string?> _current = new();

    public static string? Current => _current.Value;

    public static IDisposable Use(string? reason)
    {
        var previous = _current.Value;
        _current.Value = reason;
        return new Restore(previous);
    }

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => _current.Value = previous;
    }
}
