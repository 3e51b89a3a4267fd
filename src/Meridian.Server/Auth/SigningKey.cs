using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Meridian.Server.Auth;

/// <summary>The HS256 key from <c>Auth:JwtSecret</c>, the validation rules that go with it, and the token handler:
/// built once, since every REST call and every WebSocket handshake validates a token with them
/// (docs/auth.md#31-token-validation).</summary>
internal sealed class SigningKey
{
    public SigningKey(IOptions<AuthOptions> options)
    {
        var auth = options.Value;
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(auth.JwtSecret!));
        Credentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256);
        Parameters = new TokenValidationParameters
        {
            IssuerSigningKey = key,
            // The allow-list: a symmetric key would also verify HS384/HS512, and "none" carries no signature.
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            ValidateIssuer = auth.EnforceIssuer,
            ValidIssuer = auth.EffectiveIssuer,
            ValidateAudience = false,
            ValidateActor = false,
            ValidateTokenReplay = false,
        };
    }

    /// <summary>Thread-safe and stateless between calls, so one instance serves every request.</summary>
    public JsonWebTokenHandler Handler { get; } = new() { MapInboundClaims = false, SetDefaultTimesOnTokenCreation = false };

    public SigningCredentials Credentials { get; }

    public TokenValidationParameters Parameters { get; }
}
