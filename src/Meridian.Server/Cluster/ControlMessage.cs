using System.Text.Json.Serialization;

namespace Meridian.Server.Cluster;

/// <summary>A NOTIFY on <see cref="ClusterChannels.Control"/>: a stop for the node holding a run, or a revocation for
/// every node's open sockets. <see cref="Origin"/> is the sending node, which has acted on it already.</summary>
public sealed record ControlMessage(
    [property: JsonPropertyName("origin")] string Origin,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("run_id")] string? RunId = null,
    [property: JsonPropertyName("reason")] string? Reason = null,
    [property: JsonPropertyName("token_id")] string? TokenId = null,
    [property: JsonPropertyName("session_id")] string? SessionId = null,
    [property: JsonPropertyName("disabled")] bool Disabled = false)
{
    public const string Stop = "stop";

    public const string Revoke = "revoke";
}
