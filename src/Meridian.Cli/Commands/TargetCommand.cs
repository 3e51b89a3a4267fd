using System.CommandLine;
using Meridian.Validation;

namespace Meridian.Cli.Commands;

/// <summary>A command that acts on a target as a signed-in user (<c>load</c>, <c>import</c>, <c>chat</c>): the target
/// and credential options with its own, <c>--target</c> required, and its action called only once the credential
/// options name exactly one way to sign in (exit 2 otherwise).</summary>
internal static class TargetCommand
{
    public static Command Create(
        string name, string description, TargetOptions target, IEnumerable<Option> options,
        Func<ParseResult, Credentials, CancellationToken, Task<int>> action)
    {
        var command = new Command(name, description);
        foreach (var option in target.All.Concat(options))
        {
            command.Options.Add(option);
        }

        target.Target.Required = true;
        command.SetAction(async (parsed, ct) =>
        {
            var (credentials, error) = target.Credentials(parsed);
            return credentials is null ? Refuse(name, error!) : await action(parsed, credentials, ct);
        });
        return command;
    }

    /// <summary>Says why the command could not run, on stderr, and returns exit code 2.</summary>
    public static int Refuse(string command, string message)
    {
        Console.Error.WriteLine($"meridian {command}: {message}");
        return ExitCodes.NotRun;
    }
}
