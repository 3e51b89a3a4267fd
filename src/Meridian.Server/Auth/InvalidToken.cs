namespace Meridian.Server.Auth;

/// <summary>A token that is not valid (<c>"valid": false</c>): its <c>error_code</c> (docs/errors.md) and why.</summary>
public sealed record InvalidToken(bool Valid, string? ErrorCode, string? Reason) : TokenCheck
{
    public static InvalidToken Of(TokenValidation result) => new(false, result.ErrorCode, result.Reason);
}
