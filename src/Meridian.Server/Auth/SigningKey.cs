using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Meridian.Server.Auth;

/// <summary>The HS256 key from <c>Auth:JwtSecret</c>, and the validation rules that go with it, built once.</summary>
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

    public SigningCredentials Credentials { get; }

    public TokenValidationParameters Parameters { get; }
}
