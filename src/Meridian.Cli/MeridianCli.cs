using System.CommandLine;
using Meridian.Cli.Commands;

namespace Meridian.Cli;

/// <summary>The <c>meridian</c> command: its subcommands, and argument errors mapped to exit code 2.</summary>
public static class MeridianCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Meridian: validate or load-test a deployment, import usage data, chat, get a token, check prices.")
        {
            ValidateCommand.Create(),
            TokenCommand.Create(),
            LoadCommand.Create(),
            ImportCommand.Create(),
            ChatCommand.Create(),
            PricesCommand.Create(),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }

            await Console.Error.WriteLineAsync("Run 'meridian --help' (or 'meridian <command> --help') for usage.");
            return ExitCodes.NotRun;
        }

        return await parsed.InvokeAsync();
    }
}
