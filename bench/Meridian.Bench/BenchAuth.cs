using Meridian.Testing.Auth;

namespace Meridian.Bench;

/// <summary>The token key the benchmark servers are started with, and tokens signed with it.</summary>
internal static class BenchAuth
{
    /// <summary>The HS256 key of the benchmark servers (<c>Auth:JwtSecret</c>).</summary>
    public const string Secret = "meridian-bench-secret-0123456789-abcdefghij";

    /// <summary>An access token for <paramref name="userId"/>, as another issuer sharing the key would mint it
    /// (the server provisions the user on first use).</summary>
    public static string Token(string userId, TimeSpan lifetime) => Hs256Token.For(Secret, userId, lifetime);
}
