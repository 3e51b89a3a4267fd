using Meridian.Server.Storage;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Meridian.Server.Auth;

/// <summary>Mints an access token and a refresh token for a user. The access token's <c>sid</c> claim names the
/// refresh family it was issued with, so a logout or a detected reuse ends every access token of that session.</summary>
internal sealed class TokenIssuer(
    SigningKey key,
    RefreshTokenStore refreshTokens,
    UserStore users,
    IOptions<AuthOptions> options,
    TimeProvider clock)
{
    /// <summary>Issues a pair in <paramref name="familyId"/>, or in a new family (a new session) when null.</summary>
    public async Task<TokenResponse> IssueAsync(UserRecord user, string? familyId, CancellationToken ct)
    {
        var auth = options.Value;
        var now = clock.GetUtcNow();
        var family = familyId ?? Ids.New("session");
        var refresh = await refreshTokens.CreateAsync(user.Id, family, now + auth.RefreshTokenLifetime, ct);
        await users.TouchAsync(user.Id, ct);
        return new TokenResponse(
            CreateAccessToken(user, family, now),
            refresh,
            "Bearer",
            (int)auth.AccessTokenLifetime.TotalSeconds,
            (int)auth.RefreshTokenLifetime.TotalSeconds,
            user.ToView());
    }

    /// <summary>The claims of docs/auth.md#3-access-tokens, signed HS256 with the shared key.</summary>
    private string CreateAccessToken(UserRecord user, string sessionId, DateTimeOffset now)
    {
        var auth = options.Value;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = user.Id,
            ["name"] = user.Name,
            ["permissions"] = user.PermissionList.ToArray(),
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["type"] = "access",
            ["sid"] = sessionId,
        };
        if (user.Email is not null)
        {
            claims["email"] = user.Email;
        }

        return key.Handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            Issuer = auth.EffectiveIssuer,
            IssuedAt = now.UtcDateTime,
            Expires = (now + auth.AccessTokenLifetime).UtcDateTime,
            SigningCredentials = key.Credentials,
        });
    }
}
