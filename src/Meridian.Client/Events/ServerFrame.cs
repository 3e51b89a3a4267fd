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
