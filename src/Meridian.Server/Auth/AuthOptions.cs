namespace Meridian.Server.Auth;

/// <summary>Section <c>Auth</c>: how tokens are signed, how long they live, and which test doors are open.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The issuer put into minted tokens when <see cref="Issuer"/> is not configured.</summary>
    public const string DefaultIssuer = "meridian";

    /// <summary>The shared HS256 key (its UTF-8 bytes, at least <see cref="MinimumSecretBytes"/>). Required outside
    /// Development; in Development a missing value is generated once into <c>{Server:DataDirectory}/secrets/jwt-secret</c>.</summary>
    public string? JwtSecret { get; set; }

    /// <summary>When set, minted tokens carry it as <c>iss</c> and every token must carry it. When unset, tokens carry
    /// <see cref="DefaultIssuer"/> and <c>iss</c> is not checked (other issuers sharing the key are accepted).</summary>
    public string? Issuer { get; set; }

    public int AccessTokenMinutes { get; set; } = 15;

    public int RefreshTokenDays { get; set; } = 7;

    /// <summary>When true, the WebSocket refuses (403) users without the <c>chat</c> permission.</summary>
    public bool EnforcePermissions { get; set; }

    /// <summary>Permissions given to users who register or are provisioned without a <c>permissions</c> claim; when
    /// not configured, <c>["chat"]</c>. (Nullable because configuration binding appends to an initialised array.)</summary>
    public string[]? DefaultPermissions { get; set; }

    /// <summary>Enables <c>POST /auth/e2e/test-auth</c> outside Production.</summary>
    public string? E2EBypassKey { get; set; }

    /// <summary>Enables <c>POST /auth/validate</c> for callers presenting it in <c>X-Service-Key</c>.</summary>
    public string? ServiceKey { get; set; }

    public LockoutOptions Lockout { get; set; } = new();

    public const int MinimumSecretBytes = 32;

    private static readonly string[] ChatOnly = ["chat"];

    public string EffectiveIssuer => string.IsNullOrWhiteSpace(Issuer) ? DefaultIssuer : Issuer;

    public IReadOnlyList<string> InitialPermissions => DefaultPermissions is { Length: > 0 } configured ? configured : ChatOnly;

    public bool EnforceIssuer => !string.IsNullOrWhiteSpace(Issuer);

    public TimeSpan AccessTokenLifetime => TimeSpan.FromMinutes(AccessTokenMinutes);

    public TimeSpan RefreshTokenLifetime => TimeSpan.FromDays(RefreshTokenDays);
}
