using Meridian.Server.Errors;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
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
    public async Task<TokenValidation> ValidateAsync(string? token, CancellationToken cancellationToken = default)
    {
        var (claims, failure) = await ReadClaimsAsync(token);
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
    private async Task<(TokenClaims? Claims, TokenValidation? Failure)> ReadClaimsAsync(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return (null, TokenValidation.Invalid("No token was presented."));
        }

        JsonWebToken jwt;
        try
        {
            jwt = key.Handler.ReadJsonWebToken(token);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException or FormatException or System.Text.Json.JsonException)
        {
            return (null, TokenValidation.Invalid("The token is malformed."));
        }

        // The allow-list is HS256 alone (key.Parameters says so too, but then reports only a signature that does not
        // verify): "none" and the other HMAC variants are refused by name, before any signature is computed.
        if (jwt.Alg != SecurityAlgorithms.HmacSha256)
        {
            return (null, TokenValidation.Invalid("The token's algorithm is not allowed."));
        }

        var result = await key.Handler.ValidateTokenAsync(jwt, key.Parameters);
        if (!result.IsValid)
        {
            return (null, Refusal(result.Exception, jwt));
        }

        return TokenClaims.Read(jwt, out var refusal) is { } claims ? (claims, null) : (null, TokenValidation.Invalid(refusal!));
    }

    private static TokenValidation Refusal(Exception? ex, JsonWebToken jwt) => ex switch
    {
        SecurityTokenExpiredException => TokenValidation.Expired("The token has expired."),
        SecurityTokenNoExpirationException => TokenValidation.Invalid(TokenClaims.DescribeMissingExpiry(jwt)),
        SecurityTokenInvalidAlgorithmException => TokenValidation.Invalid("The token's algorithm is not allowed."),
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => TokenValidation.Invalid("The token's signature is not valid."),
        SecurityTokenInvalidIssuerException => TokenValidation.Invalid("The token's issuer is not accepted."),
        SecurityTokenNotYetValidException => TokenValidation.Invalid("The token is not valid yet."),
        SecurityTokenInvalidLifetimeException => TokenValidation.Invalid("The token's lifetime is not valid."),
        _ => TokenValidation.Invalid("The token is malformed."),
    };

    [LoggerMessage(EventId = 410, Level = LogLevel.Information, Message = "Provisioned user {UserId} on first use of a token")]
    private partial void LogProvisioned(string userId);
}
