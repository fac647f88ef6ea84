namespace Lims.Workflow;

/// <summary>Status is one of "qc-passed", "failed", "to be re-imaged".</summary>
public sealed record QcOutcome(string Status, string Reason);

/// <summary>Evaluates an acquired acquisition's tiles for quality control.</summary>
public interface IAcquisitionEvaluator
{
    Task<QcOutcome> EvaluateAsync(string acquisitionId, CancellationToken ct);
}
