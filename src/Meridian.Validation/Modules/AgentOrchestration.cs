using System.Text.Json;
using Meridian.Client;
using Meridian.Client.Events;
using Meridian.Client.Http;
using Meridian.Validation.Checks;
using static Meridian.Validation.Checks.CheckContext;
using static Meridian.Validation.Checks.CheckRequirements;

namespace Meridian.Validation.Modules;

/// <summary>Several runs at once, stopping a run, and the status of active runs.</summary>
internal static class AgentOrchestration
{
    private const string Name = "agent_orchestration";

    public static ValidationModule Module { get; } = new(Name, "Concurrent runs, stopping, run status", [
        new(Name, "concurrent_runs", "Three messages on three threads at once: three runs, each ending and each keeping the run contract on its own", CheckBudget.Runs, ConcurrentAsync),
        new(Name, "stop_run", "Cancelling a run just started ends it with agent_stopped (or, if it had already ended, 409 RUN_NOT_ACTIVE and its real end)", CheckBudget.Run, StopAsync),
        new(Name, "agent_status", "get_agent_status answers agent_status with active_runs, each a run of this user", CheckBudget.Run, StatusAsync),
        new(Name, "run_status_matches_events", "GET /api/runs/{id} of the reference run says the status its terminal event says", CheckBudget.Run, RunStatusAsync),
    ]);

    private static async Task ConcurrentAsync(CheckContext ctx)
    {
        var socket = await ctx.ConnectAsync(await ctx.UserAsync());
        var threads = Enumerable.Range(1, 3).Select(i => $"validate-{ctx.Settings.RunId}-concurrent-{i}").ToList();
        var sentAt = DateTimeOffset.UtcNow;
        var accepted = new List<RunAcceptedFrame>();
        foreach (var thread in threads)
        {
            accepted.Add(await ctx.StartRunAsync(socket, Message(threadId: thread)));
        }

        var ids = accepted.Select(a => a.RunId!).Distinct().ToList();
        Require(ids.Count == 3, DiagnosisKind.ContractViolation, $"three messages gave {ids.Count} distinct run ids");
        var events = await ctx.FollowRunsAsync(socket, ids, ctx.Settings.RunTimeout * 2);
        foreach (var a in accepted)
        {
            var run = new RunTranscript(Question, sentAt, a, events[a.RunId!]);
            RequireContract(run);
            ctx.Note(run.Summary);
        }
    }

    private static async Task StopAsync(CheckContext ctx)
    {
        var user = await ctx.UserAsync();
        var started = await ctx.SendAsync(HttpMethod.Post, "/api/agents/execute?wait=false", user, new { message = Question });
        // 202 is the answer the contract gives; a run that finished before the answer was written comes back as
        // 200 with its outcome (the server reads the run's status after starting it), and is then not active.
        var runId = RequireJson(started, started.Status == 200 ? 200 : 202).Text("run_id")!;
        var cancel = await ctx.SendAsync(HttpMethod.Post, $"/api/runs/{runId}/cancel", user);
        // A run stopped while it waited for its turn gets its agent_started and agent_stopped when it is taken up.
        var (page, events) = await ctx.EventuallyAsync(() => user.Client.RunEventsAsync(runId, 0, ctx.Cancellation), r => r.Events is [.., { IsTerminal: true }]);
        Require(events.Count > 0, DiagnosisKind.OrderViolation, $"{runId} has no stored events after cancel");
        var terminal = events[^1].Type;
        if (cancel.Status == 200)
        {
            Require(terminal == RunEvent.Stopped && page.Status == "stopped", DiagnosisKind.ContractViolation,
                $"cancel answered 200 but {runId} is {page.Status} and its last event is {terminal}, not agent_stopped");
            ctx.Note($"{runId} stopped: {events.Count} events");
        }
        else
        {
            RequireProblem(cancel, 409, "RUN_NOT_ACTIVE");
            Require(RunEvent.TerminalTypes.Contains(terminal), DiagnosisKind.OrderViolation, $"cancel said {runId} is not active, but its last event is {terminal}");
            ctx.Note($"{runId} had already ended ({terminal}) when cancelled");
        }

        RequireContract(new RunTranscript(Question, DateTimeOffset.UtcNow, AgentPipeline.Accepted(runId, events[0].ThreadId ?? ""), events), DiagnosisKind.SeqViolation, DiagnosisKind.OrderViolation, DiagnosisKind.PairingViolation);
    }

    private static async Task StatusAsync(CheckContext ctx)
    {
        var user = await ctx.UserAsync();
        var socket = await ctx.ConnectAsync(user);
        var accepted = await ctx.StartRunAsync(socket);
        var status = await ctx.AskAsync(socket, new() { ["type"] = "get_agent_status" }, "agent_status");
        Require(status.Type == "agent_status" && status.Raw.Field("active_runs") is { ValueKind: JsonValueKind.Array }, DiagnosisKind.ContractViolation,
            $"get_agent_status was answered with {Diagnoser.Shorten(status.ToString(), 200)}");
        var active = status.Raw.Field("active_runs")!.Value.EnumerateArray().ToList();
        foreach (var run in active)
        {
            var id = run.Text("run_id");
            Require(id is not null && run.Text("status") is not null, DiagnosisKind.ContractViolation, $"an active run without run_id or status: {run}");
            await ctx.GetJsonAsync($"/api/runs/{id}", user);
        }

        ctx.Note($"{active.Count} active run(s) listed");
        await ctx.FollowRunsAsync(socket, [accepted.RunId!]);
    }

    private static async Task RunStatusAsync(CheckContext ctx)
    {
        var run = await ctx.ReferenceRunAsync();
        var user = await ctx.UserAsync();
        var info = await ctx.EventuallyAsync(
            async () => (await ctx.GetJsonAsync($"/api/runs/{run.RunId}", user)).Deserialize<RunInfo>(Json.Options)!,
            i => i.EndedAt is not null);
        var expected = run.Terminal.Type switch
        {
            RunEvent.Completed => "completed",
            RunEvent.Failed => "failed",
            _ => "stopped",
        };
        Require(info.Status == expected && info.EndedAt is not null, DiagnosisKind.ContractViolation,
            $"GET /api/runs/{run.RunId} says {info.Status} (ended_at {info.EndedAt ?? "null"}); its terminal event {run.Terminal.Type} says {expected}");
        ctx.Note($"{run.RunId}: {info.Status} in {info.DurationMs} ms");
    }
}
