using Meridian.Client.Events;
using Meridian.Validation.Checks;
using static Meridian.Validation.Checks.CheckContext;
using static Meridian.Validation.Checks.CheckRequirements;

namespace Meridian.Validation.Modules;

/// <summary>What a client relies on when things go wrong: reconnecting and resuming from its last seq, replaying
/// stored events, and errors that leave the socket open.</summary>
internal static class FailureRecovery
{
    private const string Name = "failure_recovery";

    public static ValidationModule Module { get; } = new(Name, "Reconnect and resume, replay, errors that keep the socket", [
        new(Name, "resume_after_disconnect", "A socket dropped mid-run, reconnected and resumed from its last seq receives the rest: no gap, no duplicate, the same events as stored", CheckBudget.Runs, ResumeAsync),
        new(Name, "replay_after_seq", "GET /api/runs/{id}/events?after_seq=k returns exactly the events after k, as they were delivered live", CheckBudget.Run, ReplayAsync),
        new(Name, "errors_keep_socket", "A resume of an unknown run (RUN_NOT_FOUND) and a message to a malformed thread id (INVALID_THREAD_ID) leave the socket open", CheckBudget.Quick, ErrorsAsync),
    ]);

    private static async Task ResumeAsync(CheckContext ctx)
    {
        var user = await ctx.UserAsync();
        var socket = await ctx.ConnectAsync(user);
        var sentAt = DateTimeOffset.UtcNow;
        var accepted = await ctx.StartRunAsync(socket);
        var first = (RunEvent)await socket.WaitForAsync(f => f is RunEvent e && e.RunId == accepted.RunId, $"the first event of {accepted.RunId}", ctx.Settings.RunTimeout, ctx.Cancellation);
        await socket.ReconnectAsync(ctx.Cancellation);
        ctx.Note($"reconnected after seq {first.Seq}; resumed from it");
        // Delivery after a resume is this check's subject: what it misses says nothing of a socket that stayed open.
        var rest = (await ctx.FollowRunsAsync(socket, [accepted.RunId!], shared: false))[accepted.RunId!];
        var run = new RunTranscript(Question, sentAt, accepted, [first, .. rest]);
        RequireContract(run);
        var (_, stored) = await user.Client.RunEventsAsync(run.RunId, 0, ctx.Cancellation);
        Require(stored.Count == run.Events.Count, DiagnosisKind.SeqViolation,
            $"{run.RunId}: {run.Events.Count} events across the reconnect, {stored.Count} stored");
        ctx.Note(run.Summary);
    }

    private static async Task ReplayAsync(CheckContext ctx)
    {
        var run = await ctx.ReferenceRunAsync();
        var user = await ctx.UserAsync();
        var after = run.Events.Count / 2;
        var (_, replayed) = await user.Client.RunEventsAsync(run.RunId, after, ctx.Cancellation);
        var live = run.Events.Where(e => e.Seq > after).Select(e => e.Raw.GetRawText()).ToList();
        var stored = replayed.Select(e => e.Raw.GetRawText()).ToList();
        var same = replayed.Count == live.Count && replayed.Zip(run.Events.Where(e => e.Seq > after)).All(p => System.Text.Json.JsonElement.DeepEquals(p.First.Raw, p.Second.Raw));
        Require(same, DiagnosisKind.SeqViolation,
            $"after_seq={after} replayed {stored.Count} events; {live.Count} were delivered live after seq {after}, and they must be the same",
            [.. stored.Take(3).Select(s => "stored: " + Diagnoser.Shorten(s, 200)), .. live.Take(3).Select(s => "live:   " + Diagnoser.Shorten(s, 200))]);
        ctx.Note($"{stored.Count} events after seq {after}, the same as delivered");
    }

    private static async Task ErrorsAsync(CheckContext ctx)
    {
        var socket = await ctx.ConnectAsync(await ctx.UserAsync());
        MessageFlow.RequireError(await ctx.AskAsync(socket, new() { ["type"] = "resume", ["run_id"] = "run_meridian_validate_missing", ["after_seq"] = 0 }, "an error for an unknown run"),
            "RUN_NOT_FOUND", "a resume of an unknown run");
        MessageFlow.RequireError(await ctx.AskAsync(socket, Message(threadId: "not a valid thread id!"), "an error for a malformed thread id"),
            "INVALID_THREAD_ID", "a message to a malformed thread id");
        await ctx.PingAsync(socket);
    }
}
