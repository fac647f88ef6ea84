using System.Text.Json.Nodes;
using Lims.Collections.Definitions;
using Lims.Documents;
using Lims.Errors;
using Lims.Validation;
using Microsoft.Extensions.Options;

namespace Lims.Workflow;

/// <summary>
/// Moves one task to the status its acquisitions call for (<see cref="TaskRules"/>), one recorded transition at
/// a time, each a compare-and-set write through <see cref="DocumentService"/>. Idempotent: a task that already
/// agrees is left alone, so the progress, completion and re-plan jobs and the sweep may all run it.
/// </summary>
public sealed class TaskReconciler(DocumentService documents, IOptions<WorkflowOptions> options, TimeProvider time)
{
    private const int MaxSteps = 4;

    public async Task ReconcileAsync(string taskId, string actor, CancellationToken ct)
    {
        for (var step = 0; step < MaxSteps; step++)
        {
            var (task, acquisitions) = await documents.Store.ReadAsync(async session =>
                (await session.GetAsync(AcquisitionTasks.Definition, taskId, ct),
                 await WorkflowQueries.AcquisitionsOfTasksAsync(session, [taskId], ct)), ct);
            if (task is null)
            {
                return;
            }
            var status = task.Document["status"]?.GetValue<string>() ?? TaskStatus.Planned;
            var version = task.Document["version"]?.GetValue<long>() ?? 1;
            var current = TaskRules.Current([.. acquisitions.Select(AcquisitionView.From)], version);
            if (TaskRules.Next(status, current) is not { } next)
            {
                return;
            }
            var (to, reason, change) = Plan(next.Status, next.Because, version);
            await documents.UpdateAsync(AcquisitionTasks.Definition, taskId, task.ETag, new WriteOrigin(actor, WriteSource.Job) { Reason = reason }, document =>
            {
                document["status"] = to;
                change(document);
                return document;
            }, fillDefaults: false, ct);
        }
    }

    private (string To, string Reason, Action<JsonObject> Change) Plan(string next, AcquisitionView because, long version)
    {
        var settings = options.Value;
        switch (next)
        {
            case TaskStatus.InProgress:
                return (next, $"acquisition {because.Id} was posted", _ => { });
            case TaskStatus.Completed:
                return (next, $"acquisition {because.Id} passed QC", _ => { });
            default:
                var used = TaskRules.RetriesUsed(version);
                if (used >= settings.MaxRetries)
                {
                    var why = $"Acquisition {because.Id} ended '{because.Status}' and all {settings.MaxRetries} retries are used.";
                    return (TaskStatus.Failed, why, d => d["error_message"] = why);
                }
                var delay = Backoff.Delay(settings.ReplanBackoffBase, (int)used + 1, TimeSpan.MaxValue, Random.Shared.NextDouble());
                var notBefore = DocumentNormalizer.FormatTime(time.GetUtcNow() + delay);
                return (TaskStatus.Planned, $"acquisition {because.Id} ended '{because.Status}'; retry {used + 1} of {settings.MaxRetries}, offered again from {notBefore}",
                    d => SetNotBefore(d, notBefore));
        }
    }

    /// <summary>A re-planned task is not offered again before this time (clients claim with <c>metadata/not_before lt now</c>; Start refuses earlier).</summary>
    public static void SetNotBefore(JsonObject task, string? notBefore)
    {
        if (task["metadata"] is not JsonObject metadata)
        {
            if (notBefore is null)
            {
                return;
            }
            task["metadata"] = metadata = [];
        }
        if (notBefore is null)
        {
            metadata.Remove(NotBefore);
        }
        else
        {
            metadata[NotBefore] = notBefore;
        }
    }

    public const string NotBefore = "not_before";

    /// <summary>409 when a task is started before its back-off ends.</summary>
    public static void RequireOffered(JsonObject task, DateTimeOffset now)
    {
        if (task["metadata"]?[NotBefore]?.GetValue<string>() is { } text
            && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var notBefore)
            && now < notBefore)
        {
            throw new ApiException(409, "NotYetOffered", $"The task was re-planned and is offered again from {text}.",
                [new("NotYetOffered", "metadata/not_before", $"Start it at or after {text}.")]);
        }
    }
}
