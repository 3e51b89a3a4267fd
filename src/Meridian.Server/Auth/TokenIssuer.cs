using System.IdentityModel.Tokens.Jwt;
using Meridian.Server.Storage;
using Microsoft.Extensions.Options;

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
    private static readonly JwtSecurityTokenHandler Handler = new();

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

    private string CreateAccessToken(UserRecord user, string sessionId, DateTimeOffset now)
    {
        var auth = options.Value;
        var payload = new JwtPayload
        {
            ["sub"] = user.Id,
            ["name"] = user.Name,
            ["permissions"] = user.PermissionList.ToArray(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + auth.AccessTokenLifetime).ToUnixTimeSeconds(),
            ["iss"] = auth.EffectiveIssuer,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["type"] = "access",
            ["sid"] = sessionId,
        };
        if (user.Email is not null)
        {
            payload["email"] = user.Email;
        }

        return Handler.WriteToken(new JwtSecurityToken(new JwtHeader(key.Credentials), payload));
    }
}
