using Meridian.Client.Events;
using Meridian.Client.Socket;

namespace Meridian.Cli.Chat;

/// <summary>The chat loop: read a line, send it, print the run's events to its terminal event, repeat. The thread
/// the first run was given is kept for the following messages, so the conversation goes on in one thread.</summary>
internal sealed class ChatSession(MeridianSocket socket, EventPrinter printer, string? threadId, TimeSpan runTimeout)
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);
    private int _sent;

    /// <summary>True when every message's run completed.</summary>
    public async Task<bool> RunAsync(TextReader input, CancellationToken ct)
    {
        var ok = true;
        printer.Line("grey", $"connected as {socket.Welcome?.UserId}; type a message, /quit to end");
        while (await input.ReadLineAsync(ct) is { } line)
        {
            line = line.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line is "/quit" or "/exit")
            {
                break;
            }

            ok &= await TurnAsync(line, ct);
        }

        return ok;
    }

    private async Task<bool> TurnAsync(string text, CancellationToken ct)
    {
        var id = $"chat-{++_sent}";
        try
        {
            while (true)
            {
                await socket.SendMessageAsync(text, threadId, id: id, ct: ct);
                var reply = await socket.WaitForReplyAsync(id, "run_accepted", ReplyTimeout, ct);
                if (reply is ErrorFrame { ErrorCode: "RATE_LIMITED", RetryAfterMs: var wait })
                {
                    printer.Line("grey", $"rate limited; sending again in {wait ?? 1000} ms");
                    await Task.Delay(TimeSpan.FromMilliseconds(wait ?? 1000), ct);
                    continue;
                }

                if (reply is not RunAcceptedFrame { RunId: { } runId } accepted)
                {
                    printer.Line("red", reply is ErrorFrame e ? $"refused: {e.ErrorCode} {e.Message}" : $"unexpected answer: {reply}");
                    return false;
                }

                threadId = accepted.ThreadId ?? threadId;
                return await FollowAsync(runId, ct);
            }
        }
        catch (Exception ex) when (ex is SocketClosedException or FrameTimeoutException or SocketConnectException)
        {
            printer.Line("red", ex.Message);
            return false;
        }
    }

    private async Task<bool> FollowAsync(string runId, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + runTimeout;
        while (true)
        {
            RunEvent e;
            try
            {
                var left = deadline - DateTimeOffset.UtcNow;
                e = (RunEvent)await socket.WaitForAsync(
                    f => f is RunEvent r && r.RunId == runId, $"the events of {runId}", left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1), ct);
            }
            catch (SocketClosedException ex)
            {
                // The run goes on on the server: reopen and resume it from the last event shown.
                printer.Line("grey", $"{ex.Message}; reconnecting and resuming after seq {socket.LastSeq(runId)}");
                await socket.ReconnectAsync(ct);
                continue;
            }

            printer.Print(e);
            if (e.IsTerminal)
            {
                return e is AgentCompleted;
            }
        }
    }
}
