using Meridian.Server.Errors;

namespace Meridian.Server.Auth;

/// <summary>The outcome of <see cref="TokenValidator.ValidateAsync"/>: a user, or an error with a reason. A refusal
/// answers with its code's status: 401 for a bad token, 403 for a disabled account (whose <see cref="User"/> is still
/// filled in).</summary>
public sealed record TokenValidation(AuthenticatedUser? User, ErrorCode? Error, string? Reason)
{
    public bool IsValid => Error is null && User is not null;

    public string? ErrorCode => Error?.Code;

    public int Status => Error?.Status ?? StatusCodes.Status401Unauthorized;

    public static TokenValidation Valid(AuthenticatedUser user) => new(user, null, null);

    public static TokenValidation Invalid(string reason) => new(null, ErrorCodes.InvalidToken, reason);

    public static TokenValidation Expired(string reason) => new(null, ErrorCodes.TokenExpired, reason);

    public static TokenValidation Disabled(AuthenticatedUser user) =>
        new(user, ErrorCodes.AccountDisabled, DisabledAccount.Message);
}
