using System.Text.Json;
using Meridian.Server.Http;

namespace Meridian.Server.Gateway;

/// <summary>A client frame of docs/protocol.md#3-frames, read once from its JSON into the fields its type uses.
/// Fields are read leniently (a missing field or one of another kind is absent), except where the protocol refuses
/// a wrong kind; what a field's value means is for <see cref="FrameHandler"/> to judge.</summary>
internal abstract record ClientFrame
{
    /// <summary>The frame's <c>type</c> as sent (an alias stays itself: <c>chat</c> is counted as <c>chat</c>).</summary>
    public required string Type { get; init; }

    /// <summary>The client's <c>id</c> (string or number), echoed as <c>reply_to</c> by the direct answer.</summary>
    public JsonElement? Id { get; init; }

    public sealed record Ping : ClientFrame;

    public sealed record Heartbeat : ClientFrame;

    public sealed record Auth(string? Token) : ClientFrame;

    /// <summary><c>user_message</c> and its aliases. <paramref name="ThreadIdNotText"/>: a <c>thread_id</c> (top-level
    /// or in <c>payload</c>) that is neither a string nor null, refused rather than read as "no thread".</summary>
    public sealed record UserMessage(string? Text, string? Agent, string? ThreadId, bool ThreadIdNotText) : ClientFrame;

    public sealed record StopAgent(string? RunId) : ClientFrame;

    public sealed record Resume(string? RunId, long AfterSeq) : ClientFrame;

    public sealed record SwitchThread(string? ThreadId) : ClientFrame;

    public sealed record GetThreadHistory(string? ThreadId, int? Limit) : ClientFrame;

    public sealed record GetAgentStatus : ClientFrame;

    /// <summary>A type the protocol does not know; metrics count it as <c>unknown</c>, never by the client's name
    /// (which would let a client grow the metrics without bound).</summary>
    public sealed record Unknown : ClientFrame;

    /// <summary>The label frames are counted by in metrics: the type, or <c>unknown</c>.</summary>
    public string MetricsLabel => this is Unknown ? "unknown" : Type;

    /// <summary>The typed frame of a JSON object whose string <c>type</c> is <paramref name="type"/>.</summary>
    public static ClientFrame Parse(JsonElement frame, string type, JsonElement? id) => type switch
    {
        "ping" => new Ping { Type = type, Id = id },
        "heartbeat" => new Heartbeat { Type = type, Id = id },
        "auth" => new Auth(JsonFields.Text(frame, "token")) { Type = type, Id = id },
        "user_message" or "message" or "chat_message" or "chat" or "start_agent" or "execute_agent" => UserMessageOf(frame, type, id),
        "stop_agent" => new StopAgent(JsonFields.Text(frame, "run_id")) { Type = type, Id = id },
        "resume" => new Resume(JsonFields.Text(frame, "run_id"), AfterSeqOf(frame)) { Type = type, Id = id },
        "switch_thread" => new SwitchThread(JsonFields.Text(frame, "thread_id")) { Type = type, Id = id },
        "get_thread_history" => new GetThreadHistory(JsonFields.Text(frame, "thread_id"), JsonFields.WholeNumber(frame, "limit")) { Type = type, Id = id },
        "get_agent_status" => new GetAgentStatus { Type = type, Id = id },
        _ => new Unknown { Type = type, Id = id },
    };

    /// <summary>Text from <c>content</c>, <c>message</c>, <c>text</c>, <c>input</c>, <c>payload.content</c> or
    /// <c>payload.user_request</c>; the agent from <c>agent</c> or <c>payload.agent_type</c>; the thread from
    /// <c>thread_id</c> or <c>payload.thread_id</c>, the top-level one winning.</summary>
    private static UserMessage UserMessageOf(JsonElement frame, string type, JsonElement? id)
    {
        var payload = frame.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var text = JsonFields.MessageText(frame) ?? JsonFields.Text(payload, "content") ?? JsonFields.Text(payload, "user_request");
        var agent = JsonFields.Text(frame, "agent") ?? JsonFields.Text(payload, "agent_type");
        var notText = !JsonFields.TryOptionalText(frame, "thread_id", out var top) | !JsonFields.TryOptionalText(payload, "thread_id", out var inPayload);
        return new UserMessage(text, agent, notText ? null : top ?? inPayload, notText) { Type = type, Id = id };
    }

    /// <summary>A whole number <c>after_seq</c>, else 0 (from the start).</summary>
    private static long AfterSeqOf(JsonElement frame) =>
        frame.TryGetProperty("after_seq", out var a) && a.ValueKind == JsonValueKind.Number && a.TryGetInt64(out var n) ? n : 0;
}
