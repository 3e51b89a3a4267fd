using System.Security.Cryptography;
using System.Text;

namespace Meridian.Testing.Auth;

/// <summary>HS256 tokens signed by hand over exactly the JSON given, as another issuer sharing the server's key
/// (<c>Auth:JwtSecret</c>) would sign them (docs/auth.md): no JWT library, so a test can write claims a library
/// would refuse and a benchmark can mint thousands without one.</summary>
public static class Hs256Token
{
    public const string Header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    /// <summary>A token for <paramref name="userId"/> that expires after <paramref name="lifetime"/>.</summary>
    public static string For(string secret, string userId, TimeSpan lifetime) =>
        Sign(secret, Header, $"{{\"sub\":\"{userId}\",\"exp\":{DateTimeOffset.UtcNow.Add(lifetime).ToUnixTimeSeconds()}}}");

    /// <summary>header.payload.signature over exactly these header and payload JSON texts.</summary>
    public static string Sign(string secret, string headerJson, string payloadJson)
    {
        var signed = Base64Url(headerJson) + "." + Base64Url(payloadJson);
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(signed));
        return signed + "." + System.Buffers.Text.Base64Url.EncodeToString(signature);
    }

    public static string Base64Url(string text) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
}
