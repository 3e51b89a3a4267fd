using Meridian.Client.Events;
using Meridian.Validation.Checks;
using static Meridian.Validation.Checks.CheckContext;
using static Meridian.Validation.Checks.CheckRequirements;

namespace Meridian.Validation.Modules;

/// <summary>Who gets which events: every socket of the owner, and nobody else.</summary>
internal static class Coordination
{
    private const string Name = "coordination";

    public static ValidationModule Module { get; } = new(Name, "Delivery to every socket of the owner and to no one else", [
        new(Name, "fanout_to_user_sockets", "A run started on one socket of a user streams, in seq order, to that user's other socket too", CheckBudget.Run, FanoutAsync),
        new(Name, "isolation_between_users", "Another user's socket receives none of the run's events, cannot resume it (RUN_NOT_FOUND) and cannot read it (404)", CheckBudget.Run, IsolationAsync),
        new(Name, "thread_access_denied", "Another user's message to the run's thread is refused with THREAD_ACCESS_DENIED", CheckBudget.Run, ThreadAccessAsync),
    ]);

    private static async Task FanoutAsync(CheckContext ctx)
    {
        var user = await ctx.UserAsync();
        var first = await ctx.ConnectAsync(user);
        var second = await ctx.ConnectAsync(user);
        var sentAt = DateTimeOffset.UtcNow;
        var accepted = await ctx.StartRunAsync(first);
        var onFirst = (await ctx.FollowRunsAsync(first, [accepted.RunId!]))[accepted.RunId!];
        // The second socket's delivery is this check's subject: what it misses says nothing of the sending socket.
        var onSecond = (await ctx.FollowRunsAsync(second, [accepted.RunId!], ctx.Settings.EventTimeout, shared: false))[accepted.RunId!];
        var a = string.Join(",", onFirst.Select(e => e.Seq));
        var b = string.Join(",", onSecond.Select(e => e.Seq));
        Require(a == b, DiagnosisKind.SeqViolation, $"the sending socket got seqs [{a}], the user's other socket [{b}]");
        RequireContract(new RunTranscript(Question, sentAt, accepted, onSecond));
        ctx.Note($"{onSecond.Count} events on both sockets");
    }

    private static async Task IsolationAsync(CheckContext ctx)
    {
        var owner = await ctx.UserAsync();
        var other = await ctx.OtherUserAsync();
        Require(owner.UserId != other.UserId, DiagnosisKind.ContractViolation, "the two users have the same id");
        var watcher = await ctx.ConnectAsync(other);
        var socket = await ctx.ConnectAsync(owner);
        var run = await ctx.RunAsync(socket);

        // A round trip on the other user's socket after the run ended: anything sent to it before is in by then.
        await ctx.PingAsync(watcher);
        var leaked = watcher.History.Where(f => f.Raw.ToString().Contains(run.RunId, StringComparison.Ordinal)).ToList();
        Require(leaked.Count == 0, DiagnosisKind.WrongUser,
            $"{leaked.Count} frame(s) of {owner.UserId}'s run {run.RunId} reached a socket of {other.UserId}", Diagnoser.Frames(leaked.Take(5)));

        MessageFlow.RequireError(await ctx.AskAsync(watcher, new() { ["type"] = "resume", ["run_id"] = run.RunId, ["after_seq"] = 0 }, "an error for another user's run"),
            "RUN_NOT_FOUND", "a resume of another user's run");
        var read = await ctx.SendAsync(HttpMethod.Get, $"/api/runs/{run.RunId}", other);
        Require(read.Status == 404, read.Status is >= 200 and < 300 ? DiagnosisKind.WrongUser : DiagnosisKind.HttpStatus,
            $"GET /api/runs/{run.RunId} as another user answered {read.Status}, not 404", [.. Diagnoser.Evidence(read)]);
        var leakedToResume = watcher.History.Where(f => f is RunEvent e && e.RunId == run.RunId).ToList();
        Require(leakedToResume.Count == 0, DiagnosisKind.WrongUser, $"a resume by another user delivered {leakedToResume.Count} event(s) of {run.RunId}",
            Diagnoser.Frames(leakedToResume.Take(5)));
    }

    private static async Task ThreadAccessAsync(CheckContext ctx)
    {
        var run = await ctx.ReferenceRunAsync();
        var other = await ctx.OtherUserAsync();
        var socket = await ctx.ConnectAsync(other);
        MessageFlow.RequireError(await ctx.AskAsync(socket, Message(threadId: run.ThreadId), "an error for another user's thread"),
            "THREAD_ACCESS_DENIED", "a message to another user's thread");
    }
}
