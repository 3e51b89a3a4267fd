using System.CommandLine;
using Meridian.Validation;

namespace Meridian.Cli.Commands;

/// <summary>The options that name a deployment and how to sign in to it, shared by the commands.</summary>
internal sealed class TargetOptions
{
    public Option<Uri> Target { get; } = new("--target", "-t")
    {
        Description = "Base URL of the deployment (http://127.0.0.1:5080, https://meridian.example.com)",
        CustomParser = r => Uri.TryCreate(r.Tokens.Single().Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : Fail<Uri>(r, $"--target must be an absolute http(s) URL, not '{r.Tokens.Single().Value}'"),
    };

    public Option<string?> Token { get; } = new("--token") { Description = "An access token (JWT) to use as is" };

    public Option<string?> E2EKey { get; } = new("--e2e-key") { Description = "The server's Auth:E2EBypassKey: sign in test users with POST /auth/e2e/test-auth" };

    public Option<string?> Email { get; } = new("--email") { Description = "Email of an account (with --password), or of the user to sign in" };

    public Option<string?> Password { get; } = new("--password") { Description = "Password of the account named by --email" };

    public Option<bool> DevLogin { get; } = new("--dev-login") { Description = "Sign in with POST /auth/dev/login (Development servers only)" };

    public IEnumerable<Option> All => [Target, Token, E2EKey, Email, Password, DevLogin];

    /// <summary>Null with an error message when the credential options do not name exactly one way to sign in.</summary>
    public (Credentials? Credentials, string? Error) Credentials(ParseResult parsed, string? secondToken = null)
    {
        var token = parsed.GetValue(Token);
        var key = parsed.GetValue(E2EKey);
        var email = parsed.GetValue(Email);
        var password = parsed.GetValue(Password);
        var dev = parsed.GetValue(DevLogin);
        var ways = new[] { token is not null, key is not null, password is not null, dev }.Count(w => w);
        if (ways != 1)
        {
            return (null, ways == 0
                ? "Give credentials: --token, --e2e-key, --email with --password, or --dev-login."
                : "Give only one of --token, --e2e-key, --email/--password and --dev-login.");
        }

        if (password is not null && email is null)
        {
            return (null, "--password needs --email.");
        }

        return (token, key, password, dev) switch
        {
            ({ } t, _, _, _) => (new Credentials.Token(t, secondToken), null),
            (_, { } k, _, _) => (new Credentials.E2EKey(k), null),
            (_, _, { } p, _) => (new Credentials.Password(email!, p, secondToken), null),
            _ => (new Credentials.DevLogin(), null),
        };
    }

    private static T Fail<T>(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return default!;
    }
}
