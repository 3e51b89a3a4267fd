namespace Meridian.Validation;

/// <summary>How the suite signs in to the target.</summary>
public abstract record Credentials
{
    /// <summary>An access token (and optionally a second user's, for the isolation checks).</summary>
    public sealed record Token(string AccessToken, string? SecondToken = null) : Credentials;

    /// <summary>Test users minted with <c>POST /auth/e2e/test-auth</c>: one per module, plus a second user.</summary>
    public sealed record E2EKey(string BypassKey) : Credentials;

    /// <summary>An existing account (and optionally a second user's token).</summary>
    public sealed record Password(string Email, string Secret, string? SecondToken = null) : Credentials;

    /// <summary><c>POST /auth/dev/login</c> (Development servers): one user per module, plus a second user.</summary>
    public sealed record DevLogin : Credentials;
}
