namespace Meridian.Server.Auth;

/// <summary>The outcome of <see cref="TokenValidator.ValidateAsync"/>: a user, or an error code with a reason.
/// <see cref="Status"/> is the HTTP status a refusal maps to: 401 for a bad token, 403 for a disabled account
/// (whose <see cref="User"/> is still filled in).</summary>
public sealed record TokenValidation(AuthenticatedUser? User, string? ErrorCode, string? Reason)
{
    public bool IsValid => ErrorCode is null && User is not null;

    public int Status => ErrorCode == AuthErrorCodes.AccountDisabled ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;

    public static TokenValidation Valid(AuthenticatedUser user) => new(user, null, null);

    public static TokenValidation Invalid(string reason) => new(null, AuthErrorCodes.InvalidToken, reason);

    public static TokenValidation Expired(string reason) => new(null, AuthErrorCodes.TokenExpired, reason);

    public static TokenValidation Disabled(AuthenticatedUser user) =>
        new(user, AuthErrorCodes.AccountDisabled, DisabledAccount.Message);
}
