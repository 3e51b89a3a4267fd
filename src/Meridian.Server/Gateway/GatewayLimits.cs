namespace Meridian.Server.Gateway;

/// <summary>The limits of <see cref="GatewayConfig"/>, from <see cref="GatewayOptions"/> (sizes in bytes, times in
/// seconds).</summary>
public sealed record GatewayLimits(
    int MaxMessageSize,
    int HardMessageCap,
    int HeartbeatInterval,
    int AuthTimeout,
    int ReauthGrace,
    int RevocationCheck,
    int MessagesPerMinute,
    int MessageBurst,
    int FramesPerSecond,
    int FrameBurst,
    int SendQueueFrames);
