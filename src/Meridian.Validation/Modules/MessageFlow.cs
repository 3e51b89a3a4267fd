using System.Text.Json;
using Meridian.Client;
using Meridian.Client.Events;
using Meridian.Validation.Checks;
using static Meridian.Validation.Checks.CheckContext;
using static Meridian.Validation.Checks.CheckRequirements;

namespace Meridian.Validation.Modules;

/// <summary>Messages in and answers out: the round trip, the aliases older clients send, and the errors bad
/// frames get without the socket closing.</summary>
internal static class MessageFlow
{
    private const string Name = "message_flow";

    public static ValidationModule Module { get; } = new(Name, "Messages, their answers, and bad input answered without closing", [
        new(Name, "message_round_trip", "A user_message with an id gets run_accepted {run_id, thread_id} replying to it, then an answer (agent_completed with a response)", CheckBudget.Run, RoundTripAsync),
        new(Name, "message_aliases", "A chat_message with payload.content (an older client's frame) starts a run too", CheckBudget.Run, AliasAsync),
        new(Name, "bad_frames_answered", "Not JSON, no type and an unknown type get FORMAT_ERROR, INVALID_MESSAGE and UNKNOWN_MESSAGE_TYPE; the socket stays open", CheckBudget.Quick, BadFramesAsync),
        new(Name, "empty_message_refused", "A user_message without text gets EMPTY_MESSAGE", CheckBudget.Quick, EmptyMessageAsync),
        new(Name, "oversize_frame", "A frame above the welcome's max_message_size gets MESSAGE_TOO_LARGE; the socket stays open", CheckBudget.Quick, OversizeAsync),
        new(Name, "thread_history", "get_thread_history of a run's thread returns the user's message", CheckBudget.Run, HistoryAsync),
    ]);

    private static async Task RoundTripAsync(CheckContext ctx)
    {
        var socket = await ctx.ConnectAsync(await ctx.UserAsync());
        var run = await ctx.RunAsync(socket);
        Require(run.RunId.StartsWith("run_", StringComparison.Ordinal), DiagnosisKind.ContractViolation, $"run_id '{run.RunId}' does not start with run_");
        var response = RequireCompleted(run).Response;
        Require(!string.IsNullOrWhiteSpace(response), DiagnosisKind.ContractViolation, $"{run.RunId} completed with an empty response");
        ctx.Note($"answer of {response!.Length} characters");
    }

    private static async Task AliasAsync(CheckContext ctx)
    {
        var socket = await ctx.ConnectAsync(await ctx.UserAsync());
        var frame = new Dictionary<string, object?> { ["type"] = "chat_message", ["payload"] = new { content = Question } };
        RequireCompleted(await ctx.RunAsync(socket, frame));
    }

    private static async Task BadFramesAsync(CheckContext ctx)
    {
        var socket = await ctx.ConnectAsync(await ctx.UserAsync());
        var format = await ctx.AnswerAsync(socket, () => socket.SendTextAsync("this is not json", ctx.Cancellation), f => f is ErrorFrame, "an error frame for a frame that is not JSON");
        RequireError(format, "FORMAT_ERROR", "a frame that is not JSON");

        RequireError(await ctx.AskAsync(socket, new() { ["content"] = "no type" }, "an error for a frame without a type"), "INVALID_MESSAGE", "a frame without a type");
        var unknown = await ctx.AskAsync(socket, new() { ["type"] = "meridian_validate_unknown" }, "an error for an unknown type");
        RequireError(unknown, "UNKNOWN_MESSAGE_TYPE", "an unknown type");
        Require(((ErrorFrame)unknown).Message?.Contains("meridian_validate_unknown", StringComparison.Ordinal) == true, DiagnosisKind.ContractViolation,
            $"the UNKNOWN_MESSAGE_TYPE message does not name the type: {unknown}");
        await ctx.PingAsync(socket);
    }

    public static void RequireError(ServerFrame frame, string code, string input) =>
        Require(frame is ErrorFrame e && e.ErrorCode == code, DiagnosisKind.ContractViolation, $"{input} was answered with {Diagnoser.Shorten(frame.ToString(), 200)}, not error {code}");

    private static async Task EmptyMessageAsync(CheckContext ctx)
    {
        var socket = await ctx.ConnectAsync(await ctx.UserAsync());
        RequireError(await ctx.AskAsync(socket, Message(""), "an error for an empty message"), "EMPTY_MESSAGE", "a message without text");
    }

    private static async Task OversizeAsync(CheckContext ctx)
    {
        var socket = await ctx.ConnectAsync(await ctx.UserAsync());
        var limit = socket.Welcome!.MaxMessageSize ?? 8192;
        var answer = await ctx.AnswerAsync(socket, () => socket.SendAsync(new { type = "ping", padding = new string('x', limit + 100) }, ctx.Cancellation),
            f => f is ErrorFrame or { Type: "pong" }, $"an answer to a {limit + 100}-byte frame");
        RequireError(answer, "MESSAGE_TOO_LARGE", $"a frame above max_message_size ({limit} bytes)");
        await ctx.PingAsync(socket);
    }

    private static async Task HistoryAsync(CheckContext ctx)
    {
        var run = await ctx.ReferenceRunAsync();
        var socket = await ctx.ConnectAsync(await ctx.UserAsync());
        var history = await ctx.AskAsync(socket, new() { ["type"] = "get_thread_history", ["thread_id"] = run.ThreadId }, "thread_history");
        Require(history.Type == "thread_history" && history.Raw.Text("thread_id") == run.ThreadId, DiagnosisKind.ContractViolation,
            $"get_thread_history was answered with {Diagnoser.Shorten(history.ToString(), 200)}");
        var messages = history.Raw.Field("messages") is { ValueKind: JsonValueKind.Array } m ? m.EnumerateArray().ToList() : [];
        Require(messages.Any(m => m.Text("role") == "user" && m.Text("content") == run.Text), DiagnosisKind.ContractViolation,
            $"the history of {run.ThreadId} ({messages.Count} messages) lacks the user's message", Diagnoser.Shorten(history.ToString()));
        ctx.Note($"{messages.Count} messages in {run.ThreadId}");
    }
}
