using System.Text.Json;
using Meridian.Server.Auth;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Gateway;

/// <summary>The first frame on every authenticated socket (docs/protocol.md#2-the-welcome-frame), with the real limits.</summary>
internal sealed class Welcome(IHostEnvironment environment, IOptions<GatewayOptions> options)
{
    public const string AuthRequiredMessage = "Authentication required: send {\"type\":\"auth\",\"token\":...}";

    /// <param name="replyTo">The <c>id</c> of the <c>auth</c> frame this welcome answers, if any.</param>
    public byte[] Frame(GatewayConnection connection, AuthenticatedUser user, JsonElement? replyTo = null) =>
        Frames.Build("system_message", replyTo, w =>
        {
            w.WriteStartObject("data");
            w.WriteString("event", "connection_established");
            w.WriteString("connection_id", connection.Id);
            w.WriteString("user_id", user.UserId);
            w.WriteString("server_time", Http.UtcTimestampConverter.ToText(DateTimeOffset.UtcNow));
            w.WriteBoolean("connection_ready", true);
            w.WriteString("environment", environment.EnvironmentName.ToLowerInvariant());
            w.WriteBoolean("startup_complete", true);
            w.WriteNumber("protocol_version", 1);
            w.WriteStartObject("config");
            w.WriteNumber("heartbeat_interval", options.Value.HeartbeatIntervalSeconds);
            w.WriteNumber("max_message_size", options.Value.MaxMessageSize);
            w.WriteEndObject();
            w.WriteEndObject();
        });
}
