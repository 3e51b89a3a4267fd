namespace Meridian.Client.Socket;

public sealed record SocketOptions
{
    public const string JwtAuthProtocol = "jwt-auth";

    /// <summary>The access token; <see cref="MeridianClient.ConnectAsync"/> fills in the client's own.</summary>
    public string? Token { get; init; }

    public TokenPlacement Placement { get; init; } = TokenPlacement.Header;

    /// <summary><c>/ws</c> or its alias <c>/websocket</c>.</summary>
    public string Path { get; init; } = "/ws";

    /// <summary>Subprotocols to offer besides those of <see cref="TokenPlacement.Subprotocol"/>.</summary>
    public IReadOnlyList<string> Subprotocols { get; init; } = [];

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Bounds DNS, TCP, TLS and the upgrade together.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the welcome may take after the upgrade (the contract says 100 ms; networks add more).</summary>
    public TimeSpan WelcomeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Drop run events whose seq this socket already delivered (after a resume). A validator turns this
    /// off to see exactly what the server sent.</summary>
    public bool DropReplayedEvents { get; init; } = true;
}
