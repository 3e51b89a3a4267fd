using System.Text.Json;

namespace Meridian.Client.Events;

/// <summary>One frame the server sent on <c>/ws</c>, as received (<see cref="Raw"/>) and as typed fields.
/// <see cref="Received"/> is the client's clock when it arrived, for latency measurements.</summary>
public class ServerFrame(JsonElement raw, DateTimeOffset received)
{
    public JsonElement Raw { get; } = raw;

    public string Type { get; } = raw.Text("type") ?? "";

    public string? Timestamp => Raw.Text("timestamp");

    /// <summary>The client frame's <c>id</c> this frame answers, as JSON text (<c>"7"</c> or <c>"\"abc\""</c>).</summary>
    public string? ReplyTo => Raw.Field("reply_to") is { } id && id.ValueKind != JsonValueKind.Null ? id.GetRawText() : null;

    public DateTimeOffset Received { get; } = received;

    public override string ToString() => Raw.GetRawText();
}

/// <summary>The welcome (docs/protocol.md#2-the-welcome-frame): <c>system_message</c> with <c>data.event = connection_established</c>.</summary>
public sealed class WelcomeFrame(JsonElement raw, DateTimeOffset received) : ServerFrame(raw, received)
{
    public const string Event = "connection_established";

    public string? ConnectionId => Raw.Path("data.connection_id")?.ValueKind == JsonValueKind.String ? Raw.Path("data.connection_id")!.Value.GetString() : null;

    public string? UserId => Raw.Path("data.user_id")?.ValueKind == JsonValueKind.String ? Raw.Path("data.user_id")!.Value.GetString() : null;

    public int? HeartbeatInterval => Raw.Path("data.config.heartbeat_interval") is { ValueKind: JsonValueKind.Number } v ? v.GetInt32() : null;

    public int? MaxMessageSize => Raw.Path("data.config.max_message_size") is { ValueKind: JsonValueKind.Number } v ? v.GetInt32() : null;

    public static bool Is(JsonElement raw) =>
        raw.Text("type") == "system_message" && raw.Field("data") is { } data && data.Text("event") == Event;
}

/// <summary><c>run_accepted</c> <c>{run_id, thread_id}</c>: the answer to a message that started a run.</summary>
public sealed class RunAcceptedFrame(JsonElement raw, DateTimeOffset received) : ServerFrame(raw, received)
{
    public string? RunId => Raw.Text("run_id");

    public string? ThreadId => Raw.Text("thread_id");
}

/// <summary><c>error</c> <c>{error_code, message, retry_after_ms?}</c>.</summary>
public sealed class ErrorFrame(JsonElement raw, DateTimeOffset received) : ServerFrame(raw, received)
{
    public string? ErrorCode => Raw.Text("error_code");

    public string? Message => Raw.Text("message");

    public long? RetryAfterMs => Raw.Number("retry_after_ms");
}

/// <summary><c>server_shutdown</c> <c>{drain_seconds}</c>: the node drains; reconnect (to any node) and resume.</summary>
public sealed class ServerShutdownFrame(JsonElement raw, DateTimeOffset received) : ServerFrame(raw, received)
{
    public long? DrainSeconds => Raw.Number("drain_seconds");
}
