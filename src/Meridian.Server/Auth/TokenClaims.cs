using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Meridian.Server.Auth;

/// <summary>What a verified access token says about its user, and the rules on its claims that the JWT library does
/// not enforce (docs/auth.md#31-token-validation): no <c>crit</c> header, a string <c>sub</c>, an <c>exp</c> before
/// the year 10000.</summary>
internal sealed record TokenClaims(
    string Sub, string? Email, string? Name, IReadOnlyList<string>? Permissions, DateTimeOffset ExpiresAt, string? Jti, string? Sid)
{
    /// <summary>The JWS header parameter that lists critical extensions (RFC 7515 §4.1.11).</summary>
    private const string CriticalHeader = "crit";

    /// <summary>9999-12-31T23:59:59Z: the library clamps a later <c>exp</c> to that date instead of refusing it.</summary>
    private static readonly long LatestExpiry = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    private static readonly SearchValues<char> NumberChars = SearchValues.Create("0123456789+-.eE");

    /// <summary>The claims of <paramref name="jwt"/>, whose signature and lifetime were verified; or null and why not.</summary>
    public static TokenClaims? Read(JsonWebToken jwt, out string? refusal)
    {
        refusal = Refusal(jwt);
        if (refusal is not null)
        {
            return null;
        }

        return new TokenClaims(
            jwt.Subject,
            Text(jwt, "email"),
            Text(jwt, "name"),
            ReadPermissions(jwt),
            new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero),
            jwt.Id is { Length: > 0 } jti ? jti : null,
            Text(jwt, "sid"));
    }

    /// <summary>The library reports a token without <c>exp</c> as having no expiry; a number past the year 9999 is
    /// caught by <see cref="Read"/>, and one that is not a number leaves the token unreadable (malformed).</summary>
    public static string DescribeMissingExpiry(JsonWebToken jwt) =>
        jwt.TryGetPayloadValue<object>("exp", out _)
            ? "The token's 'exp' claim must be a number (seconds since 1970-01-01 UTC)."
            : "The token has no 'exp' claim.";

    private static string? Refusal(JsonWebToken jwt)
    {
        // RFC 7515 §4.1.11: a header that lists critical extensions must be refused unless every one is understood,
        // and this server understands none.
        if (jwt.TryGetHeaderValue<object>(CriticalHeader, out _))
        {
            return "The token's header lists critical extensions ('crit') this server does not understand.";
        }

        var sub = jwt.Subject;
        // The library turns a numeric sub into text; identity must be the string the issuer wrote (RFC 7519 §4.1.2).
        if (LooksNumeric(sub) && !SubIsString(jwt.EncodedPayload))
        {
            return "The token's 'sub' claim must be a string.";
        }

        if (string.IsNullOrWhiteSpace(sub) || sub.Length > 200)
        {
            return "The token has no usable 'sub' claim.";
        }

        return jwt.TryGetPayloadValue<long>("exp", out var exp) && exp > LatestExpiry
            ? "The token's 'exp' claim is out of range: it must be seconds since 1970-01-01 UTC, before the year 10000."
            : null;
    }

    /// <summary>Only a sub that reads as a number can have been written as one, so the payload is decoded again
    /// for those alone and the common case costs nothing.</summary>
    private static bool LooksNumeric(string? sub) =>
        !string.IsNullOrEmpty(sub) && sub.AsSpan().IndexOfAnyExcept(NumberChars) < 0;

    /// <summary>Whether the payload's top-level <c>sub</c> is a JSON string.</summary>
    private static bool SubIsString(string encodedPayload)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(encodedPayload.Length));
        try
        {
            var length = Base64Url.DecodeFromChars(encodedPayload, buffer);
            var reader = new Utf8JsonReader(buffer.AsSpan(0, length));
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isSub = reader.ValueTextEquals("sub"u8);
                reader.Read();
                if (isSub)
                {
                    return reader.TokenType == JsonTokenType.String;
                }

                reader.Skip();
            }

            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string? Text(JsonWebToken jwt, string claim) =>
        jwt.TryGetPayloadValue<string>(claim, out var value) && value is { Length: > 0 } ? value : null;

    /// <summary>Null when the token names none (the account's own apply); an array or a single string otherwise.</summary>
    private static List<string>? ReadPermissions(JsonWebToken jwt) =>
        !jwt.TryGetPayloadValue<object>("permissions", out _) ? null
        : jwt.TryGetPayloadValue<List<string>>("permissions", out var list) ? list
        : [];
}
