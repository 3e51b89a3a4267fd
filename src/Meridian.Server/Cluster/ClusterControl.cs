using System.Text.Json;
using Dapper;
using Meridian.Server.Auth;
using Meridian.Server.Gateway;
using Meridian.Server.Runs;
using Meridian.Server.Storage;

namespace Meridian.Server.Cluster;

/// <summary>The control channel between nodes (<see cref="ClusterChannels.Control"/>): a stop goes to the node
/// holding the run, and a revocation made on this node (logout, a reused refresh token, a disabled account) to every
/// other node's open sockets, within a notification's delay instead of the periodic check's
/// (docs/protocol.md#5-heartbeat-lifetime-close-codes).</summary>
internal sealed partial class ClusterControl(
    Database database,
    RunNode node,
    ActiveRuns active,
    RunExecutor executor,
    RunEndWatch watch,
    RevocationSignal revocations,
    SocketRevocation sockets,
    ILogger<ClusterControl> logger) : IRunPeers
{
    /// <summary>How long a stop waits for the holding node to end the run before answering anyway.</summary>
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);

    private int _started;

    public bool Enabled => database.IsPostgres;

    /// <summary>From now on, revocations made here are passed on to the other nodes.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            revocations.SubscribeRelay(r => Send(new ControlMessage(
                node.Id, ControlMessage.Revoke, r.UserId, TokenId: r.TokenId, SessionId: r.SessionId, Disabled: r.AccountDisabled)));
        }
    }

    public async Task<bool> StopAsync(RunRecord run, string reason, CancellationToken cancellationToken)
    {
        await NotifyAsync(new ControlMessage(node.Id, ControlMessage.Stop, run.UserId, run.Id, reason), cancellationToken);

        // The terminal event comes through the relay; the holder records the final status just after it. Still active
        // after the wait: the holder did not answer in time (it may have died: recovery then ends the run); the stop stands.
        var now = await watch.WaitAsync(run, StopWait, cancellationToken);
        return now is not null && (RunStatus.IsActive(now.Status) || now.Status == RunStatus.Stopped);
    }

    /// <summary>A control message from the listener. Acted on in the background: the listener must not wait.</summary>
    public void Receive(string payload)
    {
        ControlMessage? message;
        try
        {
            message = JsonSerializer.Deserialize<ControlMessage>(payload);
        }
        catch (JsonException)
        {
            return;
        }

        if (message is null || message.Origin == node.Id)
        {
            return;
        }

        _ = Task.Run(() => ActAsync(message));
    }

    /// <summary>After the listener was away: revocations notified meanwhile are found by checking every open socket now.</summary>
    public void CatchUp() => _ = Task.Run(async () =>
    {
        try
        {
            await sockets.CheckAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogControlFailed(ex, "revocation check");
        }
    });

    private async Task ActAsync(ControlMessage message)
    {
        try
        {
            if (message.Kind == ControlMessage.Stop && message.RunId is { } runId
                && active.Get(runId) is { } run && run.Record.UserId == message.UserId)
            {
                await executor.StopAsync(run, message.Reason ?? "stopped by the user");
            }
            else if (message.Kind == ControlMessage.Revoke)
            {
                revocations.PublishFromPeer(message.Disabled
                    ? Revocation.Account(message.UserId)
                    : new Revocation(message.UserId, message.TokenId, message.SessionId, false));
            }
        }
        catch (Exception ex)
        {
            LogControlFailed(ex, message.Kind);
        }
    }

    private void Send(ControlMessage message) => _ = Task.Run(async () =>
    {
        try
        {
            await NotifyAsync(message, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The other nodes' periodic check still finds the revocation in the database.
            LogControlFailed(ex, message.Kind);
        }
    });

    private async Task NotifyAsync(ControlMessage message, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_notify(@channel, @payload)",
            new { channel = ClusterChannels.Control, payload = JsonSerializer.Serialize(message) },
            cancellationToken: cancellationToken));
    }

    [LoggerMessage(EventId = 920, Level = LogLevel.Warning, Message = "A cluster control message ({Kind}) failed")]
    private partial void LogControlFailed(Exception ex, string kind);
}
