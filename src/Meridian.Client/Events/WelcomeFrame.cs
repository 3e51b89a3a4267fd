using System.Text.Json;

namespace Meridian.Client.Events;

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
