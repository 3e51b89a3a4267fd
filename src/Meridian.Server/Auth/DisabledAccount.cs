using Meridian.Server.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Meridian.Server.Auth;

/// <summary>The one answer to a disabled account, wherever tokens would otherwise be issued or accepted
/// (docs/auth.md): 403 <see cref="ErrorCodes.AccountDisabled"/>.</summary>
internal static class DisabledAccount
{
    public const string Message = "The account is disabled.";

    public static ProblemHttpResult Problem() =>
        Problems.Result(ErrorCodes.AccountDisabled, Message);
}
