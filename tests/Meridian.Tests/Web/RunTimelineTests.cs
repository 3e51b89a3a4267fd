using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Meridian.Tests.Web;

/// <summary>A run as the chat page shows it, live over the WebSocket, through interruptions: every stage, tool card
/// and the report, exactly once (docs/ui.md; the events in docs/runs.md).</summary>
[Collection(SharedBrowser.Name)]
public sealed class RunTimelineTests(BrowserHarness fixture)
{
    [Fact]
    public async Task A_new_user_sends_an_example_request_and_sees_every_stage_every_tool_card_and_the_report_with_usage_and_cost()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var user = await WebApp.SignUpAsync(page);

        await WebApp.SendExampleAsync(page);

        var run = WebApp.LastRun(page);
        await WebApp.ExpectStatusAsync(run, "completed");
        await Expect(page.GetByTestId("announcer")).ToContainTextAsync("Run completed");
        var runId = (await run.GetAttributeAsync("data-run-id"))!;
        var events = await WebApp.EventsAsync(fixture, await WebApp.TokenAsync(fixture, user), runId);
        var shown = await WebApp.ReadRunAsync(run);

        shown.Stages.ShouldBe(WebApp.Stages.Select(s => s + ":completed").ToList(), shown.ToString());
        shown.Tools.ShouldBe(events.OfType("tool_executing").Select(e => e.GetProperty("tool_name").GetString() + ":completed").ToList(), shown.ToString());
        shown.Tools.ShouldNotBeEmpty();
        shown.ThinkingLines.ShouldBe(events.OfType("agent_thinking").Count(), shown.ToString());
        await Expect(run.GetByTestId("report").GetByRole(AriaRole.Heading, new() { Name = "Summary" })).ToBeVisibleAsync();
        await Expect(run.GetByTestId("report")).ToContainTextAsync("Routing simple traffic to a smaller model saves about $1,500 a month.");
        // 120,000 tokens in and 40,000 out of gpt-4o: $0.70 (BrowserHarness.Report).
        var usage = run.GetByTestId("run-usage");
        await Expect(usage).ToContainTextAsync(new Regex(@"(120|160)[,. \u202f]?000|(120|160)(\.0)?\s?k", RegexOptions.IgnoreCase));
        await Expect(usage).ToContainTextAsync(new Regex(@"\$\s?0\.70?"));
        await Screenshots.SaveAsync(page, "chat-report", fullPage: true);
        await Expect(run.GetByTestId("savings-chart").Locator("table")).ToBeAttachedAsync();
        await Expect(WebApp.Button(page, "Copy report")).ToBeVisibleAsync();
        await Expect(WebApp.Button(page, "Download Markdown")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_connection_cut_mid_run_reconnects_and_shows_the_whole_timeline_exactly_once()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var user = await WebApp.SignUpAsync(page);
        var token = await WebApp.TokenAsync(fixture, user);
        await WebApp.SendExampleAsync(page);
        await WebApp.ExpectStatusAsync(WebApp.LastRun(page), "completed");
        var uninterrupted = await WebApp.ReadRunAsync(WebApp.LastRun(page));

        await WebApp.Button(page, "New thread").ClickAsync();
        await Expect(WebApp.Runs(page)).ToHaveCountAsync(0);
        using (var held = new HeldReport(fixture.Provider))
        {
            await WebApp.SendExampleAsync(page);
            var run = await WebApp.ExpectHeldAsync(page);
            var runId = (await run.GetAttributeAsync("data-run-id"))!;
            try
            {
                fixture.Proxy.Cut();
                await Expect(WebApp.ConnectionStatus(page)).ToHaveAttributeAsync("data-state", new Regex("^(reconnecting|offline)$"));
                // The rest of the run happens while the page cannot hear it.
                held.Release();
                (await WebApp.WaitForRunEndAsync(fixture, token, runId)).ShouldBe("completed");
            }
            finally
            {
                fixture.Proxy.Restore();
            }

            await Expect(WebApp.ConnectionStatus(page)).ToHaveAttributeAsync("data-state", "online", new() { Timeout = WebApp.RunTimeout });
            await WebApp.ExpectStatusAsync(run, "completed");
            var resumed = await WebApp.ReadRunAsync(run);

            resumed.Stages.ShouldBe(uninterrupted.Stages, resumed.ToString());
            resumed.Tools.ShouldBe(uninterrupted.Tools, resumed.ToString());
            // "Still working" lines come at the machine's pace, so the count is the run's own log's, not the first run's.
            resumed.ThinkingLines.ShouldBe((await WebApp.EventsAsync(fixture, token, runId)).OfType("agent_thinking").Count(), resumed.ToString());
            resumed.Report.ShouldBe(uninterrupted.Report);
            await Expect(WebApp.Runs(page)).ToHaveCountAsync(1);
        }
    }

    [Fact]
    public async Task A_reload_mid_run_shows_the_run_going_on_to_its_end_in_the_reloaded_page()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var user = await WebApp.SignUpAsync(page);
        using var held = new HeldReport(fixture.Provider);
        await WebApp.SendExampleAsync(page);
        var runId = (await (await WebApp.ExpectHeldAsync(page)).GetAttributeAsync("data-run-id"))!;
        await Expect(page).ToHaveURLAsync(new Regex("/chat/[^/?#]+$"));
        await Screenshots.SaveAsync(page, "chat-running");

        await page.ReloadAsync();
        var run = page.Locator($"[data-testid=run][data-run-id='{runId}']");
        await Expect(run).ToHaveAttributeAsync("data-status", "running", new() { Timeout = WebApp.RunTimeout });
        await Expect(run.GetByTestId("report")).ToContainTextAsync(HeldReport.VisibleBefore);
        held.Release();

        await WebApp.ExpectStatusAsync(run, "completed");
        var events = await WebApp.EventsAsync(fixture, await WebApp.TokenAsync(fixture, user), runId);
        var shown = await WebApp.ReadRunAsync(run);
        shown.Stages.ShouldBe(WebApp.Stages.Select(s => s + ":completed").ToList(), shown.ToString());
        shown.Tools.Count.ShouldBe(events.OfType("tool_executing").Count(), shown.ToString());
        await Expect(run.GetByTestId("report")).ToContainTextAsync("Turn on prompt caching.");
        await Expect(WebApp.Runs(page)).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Two_tabs_of_one_user_both_show_a_run_started_in_one_of_them()
    {
        await using var context = await fixture.NewContextAsync();
        var first = await context.NewPageAsync();
        var user = await WebApp.SignUpAsync(first);
        var example = await WebApp.SendExampleAsync(first);
        await WebApp.ExpectStatusAsync(WebApp.LastRun(first), "completed");
        await Expect(first).ToHaveURLAsync(new Regex("/chat/[^/?#]+$"));

        var second = await context.NewPageAsync();
        await second.GotoAsync(first.Url);
        if (second.Url.Contains("/signin", StringComparison.Ordinal))
        {
            // An app that keeps its session per tab asks again; the user signs in, as a person would.
            await WebApp.SignInAsync(second, user);
            await second.GotoAsync(first.Url);
        }

        await Expect(WebApp.ConnectionStatus(second)).ToHaveAttributeAsync("data-state", "online");
        await Expect(WebApp.Runs(second)).ToHaveCountAsync(1);

        using var held = new HeldReport(fixture.Provider);
        await WebApp.Composer(first).FillAsync(example);
        await WebApp.Button(first, "Send").ClickAsync();
        await WebApp.ExpectHeldAsync(first);
        await Expect(WebApp.Runs(second)).ToHaveCountAsync(2, new() { Timeout = WebApp.RunTimeout });
        await WebApp.ExpectHeldAsync(second);
        held.Release();

        await WebApp.ExpectStatusAsync(WebApp.LastRun(first), "completed");
        await WebApp.ExpectStatusAsync(WebApp.LastRun(second), "completed");
        var inFirst = await WebApp.ReadRunAsync(WebApp.LastRun(first));
        var inSecond = await WebApp.ReadRunAsync(WebApp.LastRun(second));
        inSecond.Tools.ShouldBe(inFirst.Tools, inSecond.ToString());
        inSecond.Report.ShouldBe(inFirst.Report);
        (await WebApp.LastRun(second).GetAttributeAsync("data-run-id")).ShouldBe(await WebApp.LastRun(first).GetAttributeAsync("data-run-id"));
    }

    [Fact]
    public async Task Stop_ends_a_run_and_the_page_shows_it_stopped()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var user = await WebApp.SignUpAsync(page);
        using var held = new HeldReport(fixture.Provider);
        await WebApp.SendExampleAsync(page);
        var run = await WebApp.ExpectHeldAsync(page);
        var runId = (await run.GetAttributeAsync("data-run-id"))!;

        await WebApp.Button(page, "Stop").ClickAsync();

        await WebApp.ExpectStatusAsync(run, "stopped");
        await Expect(page.GetByTestId("announcer")).ToContainTextAsync("Run stopped");
        await Expect(WebApp.Button(page, "Stop")).ToBeHiddenAsync();
        await Expect(run.GetByRole(AriaRole.Button, new() { Name = "Try again" })).ToBeVisibleAsync();
        var status = await WebApp.GetAsync(fixture, await WebApp.TokenAsync(fixture, user), $"/api/runs/{runId}");
        status.GetProperty("status").GetString().ShouldBe("stopped");
    }
}
