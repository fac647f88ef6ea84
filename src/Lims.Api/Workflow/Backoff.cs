namespace Lims.Workflow;

/// <summary>The re-plan back-off (a domain delay: when a task is offered again; job retries are Hangfire's). Exponential with jitter: base × 2^(attempt − 1) × a factor in [0.5, 1.5), capped.</summary>
public static class Backoff
{
    public static TimeSpan Delay(TimeSpan baseDelay, int attempt, TimeSpan max, double jitter01)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var raw = baseDelay.TotalMilliseconds * Math.Pow(2, exponent) * (0.5 + jitter01);
        return TimeSpan.FromMilliseconds(Math.Min(raw, max.TotalMilliseconds));
    }
}
