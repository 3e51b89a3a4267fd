namespace Meridian.Server.Auth;

/// <summary>The <c>error_code</c> values specific to authentication (docs/protocol.md, "Connecting", and docs/auth.md).</summary>
public static class AuthErrorCodes
{
    public const string InvalidToken = "INVALID_TOKEN";
    public const string TokenExpired = "TOKEN_EXPIRED";

    /// <summary>On an open WebSocket: its token or session was revoked (logout, refresh-token reuse).</summary>
    public const string TokenRevoked = "TOKEN_REVOKED";
    public const string AuthRequired = "AUTH_REQUIRED";
    public const string AccountDisabled = "ACCOUNT_DISABLED";
    public const string InvalidCredentials = "INVALID_CREDENTIALS";
    public const string EmailTaken = "EMAIL_TAKEN";
    public const string InvalidServiceKey = "INVALID_SERVICE_KEY";
    public const string InvalidBypassKey = "INVALID_BYPASS_KEY";
}
