namespace Meridian.Client.Socket;

/// <summary>Where the socket carries its token (docs/protocol.md#1-connecting).</summary>
public enum TokenPlacement
{
    /// <summary><c>Authorization: Bearer</c> on the upgrade request (servers, CLI, tests).</summary>
    Header,

    /// <summary>Offer <c>["jwt-auth", "jwt.&lt;base64url&gt;"]</c>, as a browser does.</summary>
    Subprotocol,

    /// <summary><c>?token=</c> (last resort).</summary>
    Query,

    /// <summary>No credentials on the upgrade; an <c>auth</c> frame after the server's <c>AUTH_REQUIRED</c>.</summary>
    AuthFrame,

    /// <summary>No credentials at all.</summary>
    None,
}
