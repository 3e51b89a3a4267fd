namespace Meridian.Server.Auth;

/// <summary>What the database says about a token's subject and the token itself, read in one round trip.</summary>
internal sealed class TokenUserState
{
    public string Id { get; set; } = "";

    public string? Email { get; set; }

    public string Name { get; set; } = "";

    public string Permissions { get; set; } = "[]";

    public bool Disabled { get; set; }

    /// <summary>The token's <c>jti</c> was revoked by a logout.</summary>
    public bool Revoked { get; set; }

    /// <summary>The refresh family the token was issued with (<c>sid</c>) was revoked (logout or reuse).</summary>
    public bool SessionRevoked { get; set; }
}
