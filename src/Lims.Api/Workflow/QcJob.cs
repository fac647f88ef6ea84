using Lims.Collections.Definitions;
using Lims.Documents;
using Lims.Jobs;

namespace Lims.Workflow;

/// <summary>
/// The QC job (key: acquisition id): acquired → qc-pending, then the evaluator's outcome. Each step is its own
/// write, so a crash between them resumes from qc-pending. The verdict is not pinned to the version read before
/// evaluating: evaluation itself updates the acquisition's roll-ups. The state machine still refuses the verdict
/// if the acquisition left qc-pending meanwhile (a person aborted it), and the retried job then finds nothing to do.
/// </summary>
public sealed class QcJob(DocumentService documents, IAcquisitionEvaluator evaluator) : IJobHandler
{
    private static readonly HashSet<string> _outcomes = [AcquisitionStatus.QcPassed, AcquisitionStatus.Failed, AcquisitionStatus.ToBeReimaged];

    public string Job => JobNames.Qc;

    public string Describe(string key) => $"Quality check of acquisition {key}: acquired → QC pending → passed, failed or to be re-imaged";

    public async Task RunAsync(string key, CancellationToken ct)
    {
        var actor = JobNames.Actor(Job);
        var acquisition = await LoadAsync(key, ct);
        if (acquisition?.Document["status"]?.GetValue<string>() == AcquisitionStatus.Acquired)
        {
            acquisition = await SetStatusAsync(key, acquisition.ETag, AcquisitionStatus.QcPending, "QC started", actor, ct);
        }
        if (acquisition?.Document["status"]?.GetValue<string>() != AcquisitionStatus.QcPending)
        {
            return;
        }
        var outcome = await evaluator.EvaluateAsync(key, ct);
        if (!_outcomes.Contains(outcome.Status))
        {
            throw new InvalidOperationException($"The QC evaluator answered '{outcome.Status}' for {key}; expected one of {string.Join(", ", _outcomes)}.");
        }
        await SetStatusAsync(key, etag: null, outcome.Status, outcome.Reason, actor, ct);
    }

    private Task<Storage.StoredDocument?> LoadAsync(string key, CancellationToken ct) =>
        documents.Store.ReadAsync(session => session.GetAsync(Acquisitions.Definition, key, ct), ct);

    private async Task<Storage.StoredDocument> SetStatusAsync(string key, string? etag, string status, string reason, string actor, CancellationToken ct)
    {
        return await documents.UpdateAsync(Acquisitions.Definition, key, etag, new WriteOrigin(actor, WriteSource.Job) { Reason = reason }, document =>
        {
            document["status"] = status;
            return document;
        }, fillDefaults: false, ct);
    }
}
