using System.CommandLine;
using Meridian.Client;
using Meridian.Client.Http;
using Meridian.Client.Socket;

namespace Meridian.Cli.Commands;

/// <summary><c>meridian token</c>: signs in (dev login, an e2e test user, or email and password) and prints the
/// access token, or with <c>--json</c> the whole token answer.</summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var target = new TargetOptions();
        var name = new Option<string?>("--name") { Description = "Display name of the dev or test user" };
        var permissions = new Option<string[]>("--permission") { Description = "Permission of the test user (repeatable; default: chat)", AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "Print the whole token answer as JSON" };
        var command = new Command("token", "Sign in and print an access token (for curl, scripts and `meridian validate --token`).");
        foreach (var option in target.All.Where(o => o != target.Token))
        {
            command.Options.Add(option);
        }

        command.Options.Add(name);
        command.Options.Add(permissions);
        command.Options.Add(json);
        target.Target.Required = true;
        command.SetAction(async (parsed, ct) =>
        {
            var key = parsed.GetValue(target.E2EKey);
            var email = parsed.GetValue(target.Email);
            var password = parsed.GetValue(target.Password);
            var ways = new[] { key is not null, password is not null, parsed.GetValue(target.DevLogin) }.Count(w => w);
            if (ways != 1 || (key is not null || password is not null) && email is null)
            {
                await Console.Error.WriteLineAsync("Give one way to sign in: --dev-login [--email], --e2e-key with --email, or --email with --password.");
                return ExitCodes.NotRun;
            }

            using var client = new MeridianClient(parsed.GetValue(target.Target)!, timeout: TimeSpan.FromSeconds(30));
            try
            {
                var answer = key is not null
                    ? await client.TestAuthAsync(key, email!, parsed.GetValue(name), parsed.GetValue(permissions) is { Length: > 0 } p ? p : null, ct)
                    : password is not null
                        ? await client.LoginAsync(email!, password, ct)
                        : await client.DevLoginAsync(email, parsed.GetValue(name), ct);
                Console.WriteLine(parsed.GetValue(json) ? Json.Serialize(answer) : answer.AccessToken);
                return ExitCodes.Ok;
            }
            catch (MeridianApiException ex)
            {
                await Console.Error.WriteLineAsync($"Sign-in failed: {ex.Message}");
                return ExitCodes.Failed;
            }
            catch (Exception ex) when (TransportFailure.Classify(ex) is { } stage && !ct.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync($"Could not reach {client.BaseAddress} ({stage}): {TransportFailure.RootMessage(ex)}");
                return ExitCodes.NotRun;
            }
        });
        return command;
    }
}
