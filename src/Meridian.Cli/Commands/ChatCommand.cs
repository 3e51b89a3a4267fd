using System.CommandLine;
using Meridian.Cli.Chat;
using Meridian.Cli.Output;
using Meridian.Client;
using Meridian.Client.Socket;

namespace Meridian.Cli.Commands;

/// <summary><c>meridian chat</c>: a terminal chat over the socket. Each line read is sent as a message and the run's
/// events are printed as they arrive, the answer streamed; <c>/quit</c> or the end of the input ends it. Works with
/// stdin redirected (lines in, events out). Exit 0 when every message's run completed, 1 when one was refused,
/// failed or lost, 2 when the chat could not start.</summary>
internal static class ChatCommand
{
    public static Command Create()
    {
        var target = new TargetOptions();
        var thread = new Option<string?>("--thread") { Description = "Continue this thread (default: the first message starts a new one)" };
        var runTimeout = DurationOption.Create("--run-timeout", "Wait for a run's terminal event", TimeSpan.FromMinutes(5), allowZero: false);
        return TargetCommand.Create("chat", "Chat in the terminal: each line is a message; the run's events are shown live.", target, [thread, runTimeout], async (parsed, credentials, ct) =>
        {
            using var client = new MeridianClient(parsed.GetValue(target.Target)!);
            MeridianSocket socket;
            try
            {
                await SignIn.RunAsync(client, credentials, parsed.GetValue(target.Email), "CLI chat", ct);
                socket = await client.ConnectAsync(ct: ct);
            }
            catch (SignInException ex)
            {
                return Refuse(ex.Message);
            }
            catch (Exception ex) when (ex is SocketConnectException or SocketClosedException or FrameTimeoutException)
            {
                return Refuse($"could not open the socket: {ex.Message}");
            }

            await using (socket)
            {
                var session = new ChatSession(socket, new EventPrinter(Terminal.Create()), parsed.GetValue(thread), parsed.GetValue(runTimeout));
                try
                {
                    return await session.RunAsync(Console.In, ct) ? ExitCodes.Ok : ExitCodes.Failed;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return ExitCodes.Ok;
                }
            }
        });
    }

    private static int Refuse(string message) => TargetCommand.Refuse("chat", message);
}
