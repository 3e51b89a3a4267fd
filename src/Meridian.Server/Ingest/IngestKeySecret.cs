using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Meridian.Server.Ingest;

/// <summary>Ingest keys: <c>mik_</c> and 32 random bytes in base64url. 256 random bits need no slow hash: a stored
/// SHA-256 cannot be reversed or guessed, and a lookup by hash costs one index probe per request.</summary>
public static class IngestKeySecret
{
    public const string Scheme = "mik_";

    /// <summary>How much of a key lists show, enough to tell keys apart and nowhere near enough to use one.</summary>
    public const int PrefixLength = 12;

    public static string New() => Scheme + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string Prefix(string key) => key[..PrefixLength];

    /// <summary>Whether a presented credential has the shape of an ingest key (anything else is refused unread).</summary>
    public static bool LooksLikeKey(string? key) => key is { Length: > PrefixLength and <= 128 } && key.StartsWith(Scheme, StringComparison.Ordinal);
}
