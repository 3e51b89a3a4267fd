using System.Collections.Concurrent;
using Meridian.Client;
using Meridian.Client.Http;

namespace Meridian.Validation.Checks;

/// <summary>The users the checks act as. Credentials that can mint users (an e2e key, dev login) give each module
/// its own user, so one module's rate limits never slow another; a token or a password gives one user for all.</summary>
internal sealed class Identities(ValidationSettings settings) : IDisposable
{
    private const string Primary = "primary";
    private const string Secondary = "secondary";
    private readonly ConcurrentDictionary<string, Lazy<Task<Identity>>> _identities = new(StringComparer.Ordinal);

    private bool CanMint => settings.Credentials is Credentials.E2EKey or Credentials.DevLogin;

    /// <summary>The user a module acts as.</summary>
    public Task<Identity> ForModuleAsync(string module, CancellationToken ct) => GetAsync(CanMint ? module : Primary, ct);

    /// <summary>A second user for the module (for isolation checks), or null when the credentials give only one.</summary>
    public Task<Identity>? OtherAsync(string module, CancellationToken ct) => settings.Credentials switch
    {
        _ when CanMint => GetAsync(module + "-other", ct),
        Credentials.Token { SecondToken: not null } or Credentials.Password { SecondToken: not null } => GetAsync(Secondary, ct),
        _ => null,
    };


    public void Dispose()
    {
        foreach (var identity in _identities.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully))
        {
            identity.Value.Result.Client.Dispose();
        }
    }

    private Task<Identity> GetAsync(string role, CancellationToken ct) =>
        _identities.GetOrAdd(role, r => new Lazy<Task<Identity>>(() => SignInAsync(r, ct))).Value;

    private async Task<Identity> SignInAsync(string role, CancellationToken ct)
    {
        var client = new MeridianClient(settings.Target, timeout: settings.RunTimeout + settings.EventTimeout);
        try
        {
            var email = $"meridian-validate-{role.Replace('_', '-')}-{settings.RunId}@example.com";
            switch (settings.Credentials)
            {
                case Credentials.Token token:
                    client.Token = role == Secondary ? token.SecondToken : token.AccessToken;
                    break;
                case Credentials.Password password when role == Secondary:
                    client.Token = password.SecondToken;
                    break;
                case Credentials.Password password:
                    await Refusable(() => client.LoginAsync(password.Email, password.Secret, ct), "POST /auth/login");
                    break;
                case Credentials.E2EKey key:
                    await Refusable(() => client.TestAuthAsync(key.BypassKey, email, $"Validator ({role})", ["chat"], ct), "POST /auth/e2e/test-auth");
                    break;
                case Credentials.DevLogin:
                    await Refusable(() => client.DevLoginAsync(email, $"Validator ({role})", ct), "POST /auth/dev/login");
                    break;
            }

            var me = await Refusable(() => client.MeAsync(ct), "GET /auth/me with the token");
            return new Identity(role, client.Token!, me.Id, client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>A 4xx answer to a sign-in means the credentials are wrong (or the route is not enabled there):
    /// the validator cannot run. Redirects, 5xx and transport failures are the deployment's and are diagnosed.</summary>
    private static async Task<T> Refusable<T>(Func<Task<T>> call, string what)
    {
        try
        {
            return await call();
        }
        catch (MeridianApiException ex) when (ex.Status is >= 400 and < 500)
        {
            throw new CredentialsRefusedException($"{what} was refused: {ex.Response.Describe()}", ex);
        }
    }
}
