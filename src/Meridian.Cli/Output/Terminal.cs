using Spectre.Console;

namespace Meridian.Cli.Output;

/// <summary>The console to write to: on a terminal, colors and the terminal's width; redirected (CI logs, files),
/// no escape codes and lines wide enough not to wrap.</summary>
internal static class Terminal
{
    public static IAnsiConsole Create()
    {
        var redirected = Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        if (redirected)
        {
            console.Profile.Width = 240;
        }

        return console;
    }
}
