using System.Text.Json.Nodes;
using Lims.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Lims.Tests.Web;

/// <summary>The task board in Chromium over the demo lab: columns by status, role-aware actions, history.</summary>
public sealed class TaskBoardPageTests(WebAppFixture web) : IClassFixture<WebAppFixture>
{
    // Seeded Planned and without acquisitions, so no job moves it on its own (seed/07-AcquisitionTasks.json).
    private const string PlannedTask = "TASK-0008";

    [Fact]
    public async Task An_instrument_starts_a_planned_task_which_moves_to_In_Progress_with_its_history()
    {
        var page = await web.NewPageAsync(apiKey: await web.CreateKeyAsync("instrument"));
        await page.GotoAsync("/app/tasks");
        var planned = page.Locator("#column-planned");
        var card = planned.Locator($"[data-task='{PlannedTask}']");
        await Expect(card).ToBeVisibleAsync();
        var inProgressBefore = await CountAsync("In Progress");
        await Expect(page.Locator("#column-in-progress .column-count")).ToHaveTextAsync(inProgressBefore.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // An instrument may start tasks, not abort or re-plan them.
        await Expect(card.Locator("[data-action]")).ToHaveTextAsync(["Start"]);
        await Expect(page.Locator("#board [data-action='Abort'], #board [data-action='Replan']")).ToHaveCountAsync(0);

        await card.Locator("[data-action='Start']").ClickAsync();
        await Expect(page.Locator("#board-status")).ToHaveTextAsync($"{PlannedTask}: Planned → In Progress.");
        var moved = page.Locator($"#column-in-progress [data-task='{PlannedTask}']");
        await Expect(moved).ToBeVisibleAsync();
        await Expect(planned.Locator($"[data-task='{PlannedTask}']")).ToHaveCountAsync(0);
        await Expect(page.Locator("#column-in-progress .column-count")).ToHaveTextAsync((await CountAsync("In Progress")).ToString(System.Globalization.CultureInfo.InvariantCulture));

        await moved.ClickAsync();
        await Expect(page.Locator("#history-heading")).ToHaveTextAsync($"History of {PlannedTask}");
        await Expect(page.Locator("#history-list .history-transition").First).ToContainTextAsync("Planned → In Progress");
        var stored = await web.Api.GetJsonAsync($"/odata/AcquisitionTasks('{PlannedTask}')");
        Assert.Equal("In Progress", stored.Object["status"]!.GetValue<string>());
        await WebAppFixture.ScreenshotAsync(page, "task-board-started", fullPage: true);

        // Starting it again is an illegal transition: the server's refusal is shown (the button is gone, so ask directly).
        var again = await page.EvaluateAsync<int>($"fetch(\"/odata/AcquisitionTasks('{PlannedTask}')/Lims.Start\", {{method: 'POST', headers: {{'X-Api-Key': sessionStorage.getItem('lims.apiKey')}}}}).then(r => r.status)");
        Assert.Equal(409, again);
    }

    [Fact]
    public async Task A_viewer_sees_the_board_without_any_action_button()
    {
        var page = await web.NewPageAsync(apiKey: await web.CreateKeyAsync("viewer"));
        await page.GotoAsync("/app/tasks");
        await Expect(page.Locator("#board-role")).ToContainTextAsync("(viewer)");
        await Expect(page.Locator("#column-completed .task-card").First).ToBeVisibleAsync();
        await Expect(page.Locator("#column-completed .column-count")).ToHaveTextAsync((await CountAsync("Completed")).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#board button")).ToHaveCountAsync(0);
        await WebAppFixture.ScreenshotAsync(page, "task-board-viewer");
    }

    [Fact]
    public async Task An_admin_sees_every_legal_action_and_a_refused_one_is_explained()
    {
        var page = await web.NewPageAsync();
        await page.GotoAsync("/app/tasks");
        var failed = page.Locator("#column-failed [data-task='TASK-0006']");
        await Expect(failed.Locator("[data-action]")).ToHaveTextAsync(["Replan"]);
        await Expect(page.Locator("#column-completed [data-action]")).ToHaveCountAsync(0);

        // The task changes behind the board's back: the server's 409 is shown, and the board catches up.
        var replan = await web.Api.PostJsonAsync("/odata/AcquisitionTasks('TASK-0006')/Lims.Replan", new System.Text.Json.Nodes.JsonObject());
        Assert.Equal(System.Net.HttpStatusCode.OK, replan.Status);
        await failed.Locator("[data-action='Replan']").ClickAsync();
        await Expect(page.Locator("#board-status")).ToHaveAttributeAsync("data-tone", "error");
        await Expect(page.Locator("#board-status")).ToContainTextAsync("Replan TASK-0006 was refused");
        await Expect(page.Locator("#column-planned [data-task='TASK-0006']")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Abort_asks_for_a_reason_and_records_it_in_the_task_history()
    {
        var taskId = await CreateTaskAsync("Planned", new JsonObject());
        var page = await web.NewPageAsync(apiKey: await web.CreateKeyAsync("technician"));
        await page.GotoAsync("/app/tasks");
        var card = page.Locator($"#column-planned [data-task='{taskId}']");
        var dialog = page.Locator("#abort-dialog");

        // One click does not abort: it asks, and cancelling keeps the task.
        await card.Locator("[data-action='Abort']").ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(page.Locator("#abort-heading")).ToHaveTextAsync($"Abort {taskId}?");
        await page.Locator("#abort-cancel").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        Assert.Equal("Planned", await StatusAsync(taskId));

        // Without a reason it does not go through either.
        await card.Locator("[data-action='Abort']").ClickAsync();
        await page.Locator("#abort-confirm").ClickAsync();
        await Expect(page.Locator("#abort-reason-error")).ToContainTextAsync("Say why");
        await Expect(dialog).ToBeVisibleAsync();
        Assert.Equal("Planned", await StatusAsync(taskId));

        const string reason = "Section torn during transfer; ROI no longer exists.";
        await page.Locator("#abort-reason").FillAsync(reason);
        await WebAppFixture.ScreenshotAsync(page, "task-board-abort-reason");
        await page.Locator("#abort-confirm").ClickAsync();
        await Expect(page.Locator($"#column-aborted [data-task='{taskId}']")).ToBeVisibleAsync();
        await Expect(page.Locator("#history-heading")).ToHaveTextAsync($"History of {taskId}");
        await Expect(page.Locator("#history-list .history-reason").First).ToHaveTextAsync(reason);

        var events = await web.Api.GetJsonAsync($"/odata/TaskEvents?$filter=task_id eq '{taskId}' and to_status eq 'Aborted'");
        var recorded = Assert.Single(events.Object["value"]!.AsArray());
        Assert.Equal(reason, recorded!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cards_show_priority_requester_and_failure_reason()
    {
        var taskId = await CreateTaskAsync("Failed", new JsonObject { ["priority"] = "high", ["requested_by"] = "m.okafor" },
            error: "No tile for 12 h: the watchdog failed the task.");
        var page = await web.NewPageAsync(apiKey: await web.CreateKeyAsync("viewer"));
        await page.GotoAsync("/app/tasks");
        var card = page.Locator($"#column-failed [data-task='{taskId}']");
        await Expect(card.Locator(".priority")).ToHaveTextAsync("high priority");
        await Expect(card.Locator(".task-request")).ToContainTextAsync("for m.okafor");
        await Expect(card.Locator(".task-error")).ToHaveTextAsync("No tile for 12 h: the watchdog failed the task.");
        await WebAppFixture.ScreenshotAsync(page, "task-board-card-details");
    }

    /// <summary>A task of the test's own on seeded ROI 1, in the given status (creating in any status is allowed).</summary>
    private async Task<string> CreateTaskAsync(string status, JsonObject metadata, string? error = null)
    {
        var taskId = $"TASK-WEB-{Guid.NewGuid():N}"[..20];
        var task = new JsonObject { ["task_id"] = taskId, ["roi_id"] = 1, ["status"] = status, ["metadata"] = metadata };
        if (error is not null)
        {
            task["error_message"] = error;
        }
        var reply = await web.Api.PostJsonAsync("/odata/AcquisitionTasks", task);
        Assert.Equal(System.Net.HttpStatusCode.Created, reply.Status);
        return taskId;
    }

    private async Task<string> StatusAsync(string taskId) =>
        (await web.Api.GetJsonAsync($"/odata/AcquisitionTasks('{taskId}')")).Object["status"]!.GetValue<string>();

    private async Task<int> CountAsync(string status)
    {
        var reply = await web.Api.GetJsonAsync($"/odata/AcquisitionTasks/$count?$filter=status eq '{status}'");
        return int.Parse(reply.Body!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
