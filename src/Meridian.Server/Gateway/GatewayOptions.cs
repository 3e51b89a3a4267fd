namespace Meridian.Server.Gateway;

/// <summary>Section <c>Gateway</c>: the WebSocket endpoint's limits and timers.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Seconds between protocol pings; a peer silent for twice this is dropped. A socket with no frame
    /// sent for this long also gets a <c>{"type":"heartbeat"}</c> data frame.</summary>
    public int HeartbeatIntervalSeconds { get; set; } = 25;

    /// <summary>Largest client frame processed, in bytes; larger ones are answered MESSAGE_TOO_LARGE.</summary>
    public int MaxMessageSize { get; set; } = 8192;

    /// <summary>Frames above this many bytes close the socket with 1009.</summary>
    public int HardMessageCap { get; set; } = 1024 * 1024;

    /// <summary>How long a socket without credentials may stay open waiting for an <c>auth</c> frame.</summary>
    public int AuthTimeoutSeconds { get; set; } = 30;

    /// <summary>After TOKEN_EXPIRED, how long the client has to send a fresh <c>auth</c> frame.</summary>
    public int ReauthGraceSeconds { get; set; } = 60;

    /// <summary>How often the open sockets' users, tokens and sessions are checked against the database (one query
    /// for all of them), so a logout, a reused refresh token or a disabled account is enforced on a socket within
    /// this many seconds even when it happened on another node or directly in the database. Revocations made
    /// through this node reach its sockets at once.</summary>
    public int RevocationCheckSeconds { get; set; } = 10;

    public const int MaxRevocationCheckSeconds = 300;

    /// <summary>Frames waiting to be sent to one socket; a socket that falls this far behind is closed (1013) and
    /// can reconnect and resume. At least <see cref="MinSendQueueFrames"/>: the events of one log commit reach a
    /// socket at once, up to <see cref="Runs.RunEmitter.MaxInFlight"/> per run.</summary>
    public int SendQueueFrames { get; set; } = 1024;

    public const int MinSendQueueFrames = 2 * Runs.RunEmitter.MaxInFlight;

    /// <summary>Frames that start work (messages, runs) per user per minute, with <see cref="MessageBurst"/> at once.</summary>
    public int MessagesPerMinute { get; set; } = 30;

    public int MessageBurst { get; set; } = 10;

    /// <summary>The flood limit for every frame on one socket, per second, with <see cref="FrameBurst"/> at once.</summary>
    public int FramesPerSecond { get; set; } = 50;

    public int FrameBurst { get; set; } = 200;

    /// <summary>While sockets are being accepted, a gen0 garbage collection is asked for once this many bytes have
    /// been allocated since the last one, so that the state of new sockets is copied in short pauses
    /// (<see cref="AcceptPacer"/>). 0 leaves collections to the runtime.</summary>
    public long AcceptGen0BudgetBytes { get; set; } = 4 * 1024 * 1024;
}
