using Lims.Collections.Definitions;

namespace Lims.Workflow;

/// <summary>Status names of AcquisitionTask (wire strings, as in the schema notes).</summary>
public static class TaskStatus
{
    public const string Planned = "Planned";
    public const string InProgress = "In Progress";
    public const string Completed = "Completed";
    public const string Failed = "Failed";
    public const string Aborted = "Aborted";
}

/// <summary>Status names of Acquisition (wire strings, as in the schema notes).</summary>
public static class AcquisitionStatus
{
    public const string Imaging = "imaging";
    public const string Acquired = "acquired";
    public const string QcPending = "qc-pending";
    public const string QcPassed = "qc-passed";
    public const string Failed = "failed";
    public const string ToBeReimaged = "to be re-imaged";
    public const string Aborted = "aborted";

    /// <summary>Still being made or judged: the task is in progress.</summary>
    public static readonly IReadOnlySet<string> Live = new HashSet<string> { Imaging, Acquired, QcPending };

    /// <summary>Ended without a usable result: the task needs another attempt.</summary>
    public static readonly IReadOnlySet<string> Unusable = new HashSet<string> { Failed, ToBeReimaged, Aborted };
}

/// <summary>The two lifecycles, each one table. Edit here and nowhere else.</summary>
public static class Lifecycles
{
    public static readonly StateMachine Task = new(AcquisitionTasks.Definition.EntitySet, "status", AcquisitionTasks.Statuses,
    [
        new(TaskStatus.Planned, TaskStatus.InProgress, "job progress (first acquisition posted) or action Start"),
        new(TaskStatus.Planned, TaskStatus.Aborted, "action Abort"),
        new(TaskStatus.InProgress, TaskStatus.Completed, "job completion (an acquisition passed QC)"),
        new(TaskStatus.InProgress, TaskStatus.Planned, "job replan (retries remain; version + 1) or action Replan"),
        new(TaskStatus.InProgress, TaskStatus.Failed, "job replan (retries exhausted) or job watchdog (no activity)"),
        new(TaskStatus.InProgress, TaskStatus.Aborted, "action Abort"),
        new(TaskStatus.Failed, TaskStatus.Planned, "action Replan (version + 1)"),
    ]);

    public static readonly StateMachine Acquisition = new(Acquisitions.Definition.EntitySet, "status", Acquisitions.Statuses,
    [
        new(AcquisitionStatus.Imaging, AcquisitionStatus.Acquired, "action MarkAcquired"),
        new(AcquisitionStatus.Imaging, AcquisitionStatus.Failed, "action Fail"),
        new(AcquisitionStatus.Imaging, AcquisitionStatus.Aborted, "action Abort or job watchdog (no activity)"),
        new(AcquisitionStatus.Acquired, AcquisitionStatus.QcPending, "job qc"),
        new(AcquisitionStatus.Acquired, AcquisitionStatus.Failed, "action Fail"),
        new(AcquisitionStatus.Acquired, AcquisitionStatus.Aborted, "action Abort"),
        new(AcquisitionStatus.QcPending, AcquisitionStatus.QcPassed, "job qc"),
        new(AcquisitionStatus.QcPending, AcquisitionStatus.Failed, "job qc or action Fail"),
        new(AcquisitionStatus.QcPending, AcquisitionStatus.ToBeReimaged, "job qc"),
        new(AcquisitionStatus.QcPending, AcquisitionStatus.Aborted, "action Abort"),
    ]);
}
