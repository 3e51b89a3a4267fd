using System.IdentityModel.Tokens.Jwt;
using Meridian.Server.Errors;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Meridian.Server.Auth;

/// <summary>The one place that decides whether an access token is good, for REST routes and the WebSocket
/// handshake alike (docs/protocol.md#1-connecting). Never throws for bad input: every malformed, tampered, foreign-algorithm or
/// expired token becomes an <see cref="ErrorCodes.InvalidToken"/> or <see cref="ErrorCodes.TokenExpired"/>
/// result. A subject never seen before is provisioned as a user (tokens from another issuer sharing the key).</summary>
internal sealed partial class TokenValidator(
    SigningKey key,
    UserStore users,
    IOptions<AuthOptions> options,
    ILogger<TokenValidator> logger)
{
    private static readonly JwtSecurityTokenHandler Handler = new();

    /// <summary>The JWS header parameter that lists critical extensions (RFC 7515 §4.1.11).</summary>
    private const string CriticalHeader = "crit";

    public async Task<TokenValidation> ValidateAsync(string? token, CancellationToken cancellationToken = default)
    {
        var (claims, failure) = ReadClaims(token);
        if (claims is null)
        {
            return failure!;
        }

        var state = await users.FindForTokenAsync(claims.Sub, claims.Jti, claims.Sid, cancellationToken);
        if (state is null)
        {
            await users.ProvisionAsync(claims.Sub, claims.Email, claims.Name ?? "",
                claims.Permissions ?? options.Value.InitialPermissions, cancellationToken);
            LogProvisioned(claims.Sub);
            state = await users.FindForTokenAsync(claims.Sub, claims.Jti, claims.Sid, cancellationToken);
            if (state is null)
            {
                return TokenValidation.Invalid("The token's subject could not be provisioned.");
            }
        }

        if (state.Revoked || state.SessionRevoked)
        {
            return TokenValidation.Invalid("The token has been revoked.");
        }

        var user = new AuthenticatedUser(
            state.Id,
            claims.Email ?? state.Email,
            claims.Name ?? state.Name,
            claims.Permissions ?? UserRecord.ParsePermissions(state.Permissions),
            claims.ExpiresAt,
            claims.Jti,
            claims.Sid);
        return state.Disabled ? TokenValidation.Disabled(user) : TokenValidation.Valid(user);
    }

    /// <summary>Signature, algorithm, lifetime, issuer and <c>sub</c>: everything that needs no database.</summary>
    private (TokenClaims? Claims, TokenValidation? Failure) ReadClaims(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return (null, TokenValidation.Invalid("No token was presented."));
        }

        try
        {
            Handler.ValidateToken(token, key.Parameters, out var validated);
            var jwt = (JwtSecurityToken)validated;
            // A symmetric key also verifies HS384/HS512 signatures; the allow-list is HS256 only.
            if (jwt.Header.Alg != SecurityAlgorithms.HmacSha256)
            {
                return (null, TokenValidation.Invalid("The token's algorithm is not allowed."));
            }

            // RFC 7515 §4.1.11: a header that lists critical extensions must be refused unless every one is
            // understood, and this server understands none (docs/auth.md#31-token-validation).
            if (jwt.Header.ContainsKey(CriticalHeader))
            {
                return (null, TokenValidation.Invalid("The token's header lists critical extensions ('crit') this server does not understand."));
            }

            // The library turns a numeric sub into text; identity must be the string the issuer wrote (RFC 7519 §4.1.2).
            if (jwt.Payload.TryGetValue(JwtRegisteredClaimNames.Sub, out var rawSub) && rawSub is not string)
            {
                return (null, TokenValidation.Invalid("The token's 'sub' claim must be a string."));
            }

            var sub = jwt.Payload.Sub;
            if (string.IsNullOrWhiteSpace(sub) || sub.Length > 200)
            {
                return (null, TokenValidation.Invalid("The token has no usable 'sub' claim."));
            }

            var permissions = jwt.Payload.ContainsKey("permissions")
                ? jwt.Claims.Where(c => c.Type == "permissions").Select(c => c.Value).ToList()
                : null;
            return (new TokenClaims(
                sub,
                Claim(jwt, "email"),
                Claim(jwt, "name"),
                permissions,
                new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero),
                jwt.Id is { Length: > 0 } jti ? jti : null,
                Claim(jwt, "sid")), null);
        }
        catch (SecurityTokenExpiredException)
        {
            return (null, TokenValidation.Expired("The token has expired."));
        }
        catch (SecurityTokenNoExpirationException)
        {
            return (null, TokenValidation.Invalid(DescribeMissingExpiry(token)));
        }
        catch (Exception ex)
        {
            return (null, TokenValidation.Invalid(Describe(ex)));
        }
    }

    /// <summary>The library reports an <c>exp</c> it cannot turn into a date (text, or a number of seconds past the
    /// year 9999) as a missing one; the client is told which it was. Reached only after the signature verified.</summary>
    private static string DescribeMissingExpiry(string token)
    {
        var exp = Handler.ReadJwtToken(token).Payload.GetValueOrDefault(JwtRegisteredClaimNames.Exp);
        return exp switch
        {
            null => "The token has no 'exp' claim.",
            string => "The token's 'exp' claim must be a number (seconds since 1970-01-01 UTC).",
            _ => "The token's 'exp' claim is out of range: it must be seconds since 1970-01-01 UTC, before the year 10000.",
        };
    }

    private static string? Claim(JwtSecurityToken jwt, string type) =>
        jwt.Claims.FirstOrDefault(c => c.Type == type)?.Value is { Length: > 0 } value ? value : null;

    private static string Describe(Exception ex) => ex switch
    {
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "The token's signature is not valid.",
        SecurityTokenInvalidIssuerException => "The token's issuer is not accepted.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenInvalidLifetimeException => "The token's lifetime is not valid.",
        _ => "The token is malformed.",
    };

    [LoggerMessage(EventId = 410, Level = LogLevel.Information, Message = "Provisioned user {UserId} on first use of a token")]
    private partial void LogProvisioned(string userId);

    private sealed record TokenClaims(
        string Sub, string? Email, string? Name, IReadOnlyList<string>? Permissions, DateTimeOffset ExpiresAt, string? Jti, string? Sid);
}
