namespace Lims.Workflow;

/// <summary>Names of the outbox jobs the workflow requests (the cause recorded in history is <c>job:&lt;name&gt;</c>).</summary>
public static class JobNames
{
    /// <summary>Key: task id. An acquisition was posted: a Planned task goes In Progress.</summary>
    public const string Progress = "progress";

    /// <summary>Key: acquisition id. Acquired → qc-pending → evaluated outcome.</summary>
    public const string Qc = "qc";

    /// <summary>Key: task id. An acquisition passed QC: the task is Completed.</summary>
    public const string Completion = "completion";

    /// <summary>Key: task id. An acquisition ended unusable: the task goes back to Planned (version + 1) or Failed.</summary>
    public const string Replan = "replan";

    public static string Actor(string job) => "job:" + job;
}
