namespace Lims.Workflow;
/// Status is one of "qc-passed", "failed", "to be re-imaged".
public sealed record QcOutcome(string Status, string Reason);
public interface IAcquisitionEvaluator { Task<QcOutcome> EvaluateAsync(string acquisitionId, CancellationToken ct); }
