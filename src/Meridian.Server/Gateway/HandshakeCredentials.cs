using System.Buffers.Text;
using System.Text;
using Meridian.Server.Auth;
using Microsoft.AspNetCore.Http.Features;

namespace Meridian.Server.Gateway;

/// <summary>Where a handshake carries its token (docs/protocol.md#1-connecting), and the token's removal from the
/// request once the socket is open.</summary>
internal static class HandshakeCredentials
{
    public const string JwtAuthProtocol = "jwt-auth";
    private const string JwtPrefix = "jwt.";

    /// <summary>The first credential present: Authorization header, a <c>jwt.&lt;base64url&gt;</c> subprotocol
    /// entry, or the <c>token</c> query parameter. Null when there is none (the client may send an auth frame).</summary>
    public static string? Read(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        foreach (var offered in context.WebSockets.WebSocketRequestedProtocols)
        {
            if (offered.StartsWith(JwtPrefix, StringComparison.Ordinal))
            {
                return DecodeSubprotocolToken(offered[JwtPrefix.Length..]);
            }
        }

        return context.Request.Query["token"] is { Count: > 0 } query ? query.ToString() : null;
    }

    /// <summary>The subprotocol to answer with: <c>jwt-auth</c> only when offered; never a <c>jwt.&lt;token&gt;</c>
    /// entry (which would echo the token); otherwise none.</summary>
    public static string? SubProtocol(HttpContext context) =>
        context.WebSockets.WebSocketRequestedProtocols.Contains(JwtAuthProtocol) ? JwtAuthProtocol : null;

    /// <summary>Once upgraded, the HTTP request is over but stays alive as long as the socket: drop its headers and
    /// query, which hold the token (a credential that should not sit in memory for hours) and the rest of the
    /// handshake. The socket keeps only what it needs (its <see cref="AuthenticatedUser"/>).</summary>
    public static void Forget(HttpContext context)
    {
        // Removed one by one: Kestrel's Clear() keeps the values of known headers (Authorization, Host...) for reuse
        // by a next request on the connection, and an upgraded connection has none.
        var headers = context.Request.Headers;
        foreach (var name in headers.Keys.ToArray())
        {
            headers.Remove(name);
        }

        var request = context.Features.GetRequiredFeature<IHttpRequestFeature>();
        request.QueryString = "";
        request.RawTarget = request.Path;
    }

    /// <summary>base64url without padding; something that does not decode is passed on as-is and fails validation.</summary>
    private static string DecodeSubprotocolToken(string encoded)
    {
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(encoded));
        }
        catch (FormatException)
        {
            return encoded;
        }
    }
}
