using Meridian.Client;
using Meridian.Client.Http;
using Meridian.Client.Socket;
using Meridian.Validation;

namespace Meridian.Cli.Commands;

/// <summary>Signs a client in with the credentials the options gave, for the commands that act as one user at a
/// time (<c>load</c>, <c>import</c>, <c>chat</c>).</summary>
internal static class SignIn
{
    /// <summary>Whether the credentials can sign in any number of distinct users (by email).</summary>
    public static bool CanMint(Credentials credentials) => credentials is Credentials.E2EKey or Credentials.DevLogin;

    /// <summary>Sets the client's token: the given one, a login, or a minted user named <paramref name="email"/>
    /// (dev login without an email signs in the server's developer). The token is then checked with
    /// <c>GET /auth/me</c>. A refusal or an unreachable target is a <see cref="SignInException"/>.</summary>
    public static async Task<UserProfile> RunAsync(MeridianClient client, Credentials credentials, string? email, string name, CancellationToken ct)
    {
        try
        {
            switch (credentials)
            {
                case Credentials.Token token:
                    client.Token = token.AccessToken;
                    break;
                case Credentials.Password password:
                    await client.LoginAsync(password.Email, password.Secret, ct);
                    break;
                case Credentials.E2EKey key:
                    await client.TestAuthAsync(key.BypassKey, email ?? "meridian-cli@example.com", name, ["chat"], ct);
                    break;
                case Credentials.DevLogin:
                    await client.DevLoginAsync(email, name, ct);
                    break;
            }

            return await client.MeAsync(ct);
        }
        catch (MeridianApiException ex)
        {
            throw new SignInException($"sign-in refused: {ex.Response.Describe()}", ex);
        }
        catch (Exception ex) when (TransportFailure.Classify(ex) is { } stage && !ct.IsCancellationRequested)
        {
            throw new SignInException($"could not reach {client.BaseAddress} ({stage}): {TransportFailure.RootMessage(ex)}", ex);
        }
    }
}
