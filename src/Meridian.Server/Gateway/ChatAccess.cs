using Meridian.Server.Auth;
using Meridian.Server.Errors;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Gateway;

/// <summary>Whether a token may use the socket: valid, and with the <c>chat</c> permission while
/// <c>Auth:EnforcePermissions</c> is on (docs/protocol.md#1-connecting). The one check behind the handshake's
/// credentials and the <c>auth</c> frame.</summary>
internal sealed class ChatAccess(TokenValidator validator, IOptions<AuthOptions> auth)
{
    public const string Permission = "chat";

    public async Task<Outcome> CheckAsync(string? token, CancellationToken cancellationToken)
    {
        var result = await validator.ValidateAsync(token, cancellationToken);
        if (!result.IsValid)
        {
            // A refused handshake carries the Bearer challenge only with a 401 (RFC 6750); a disabled account's 403
            // has nothing to retry with.
            return new Outcome(null, result.Error ?? ErrorCodes.InvalidToken, result.Reason ?? "The token is not valid.",
                result.Status == StatusCodes.Status401Unauthorized);
        }

        if (auth.Value.EnforcePermissions && !result.User!.HasPermission(Permission))
        {
            return new Outcome(null, ErrorCodes.PermissionDenied, "This account lacks the 'chat' permission.", BadToken: false);
        }

        return new Outcome(result.User, null, null, BadToken: false);
    }

    /// <summary>The user, or why not (<see cref="Error"/> and <see cref="Message"/>); <see cref="BadToken"/> when the
    /// token itself was refused (401) rather than its account or permission (403).</summary>
    public sealed record Outcome(AuthenticatedUser? User, ErrorCode? Error, string? Message, bool BadToken);
}
