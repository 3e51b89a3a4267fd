using Meridian.Server.Runs;
using Meridian.Server.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Meridian.Server.Cluster;

/// <summary>This node's one listening connection to PostgreSQL (outside the pool): LISTEN on the cluster channels,
/// then wait for notifications. Every few seconds without any, a <c>SELECT 1</c> proves the connection alive. When it
/// fails the listener reconnects with backoff and then catches up: the events stored meanwhile are read from
/// <c>run_events</c>, the open sockets' credentials are checked again and the queue is looked at, so nothing notified during the outage is
/// lost (docs/deploy.md#3-how-nodes-talk). With SQLite it does nothing: there is one node.</summary>
internal sealed partial class ClusterListener(
    Database database,
    IOptions<StorageOptions> storage,
    RemoteEventRelay relay,
    ClusterControl control,
    RunDispatcher dispatcher,
    RunNode node,
    TimeProvider clock,
    ILogger<ClusterListener> logger) : BackgroundService
{
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);

    /// <summary>Events may be stamped (created_at) a little before their commit: a catch-up reads from this far
    /// before the last moment the connection was known to deliver.</summary>
    private static readonly TimeSpan CatchUpMargin = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource _firstConnection = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _connected;

    /// <summary>Completes once the node listens for the first time (the node is not ready before).</summary>
    public Task FirstConnection => _firstConnection.Task;

    public bool Connected => _connected;

    public long Reconnects { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!database.IsPostgres)
        {
            _firstConnection.TrySetResult();
            return;
        }

        control.Start();
        long? lastAlive = null;
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString());
                connection.Notification += (_, e) => Dispatch(e.Channel, e.Payload);
                await connection.OpenAsync(stoppingToken);
                await ExecuteAsync(connection, $"LISTEN {ClusterChannels.Events}; LISTEN {ClusterChannels.Control}; LISTEN {ClusterChannels.RunQueued}", stoppingToken);
                if (lastAlive is { } since)
                {
                    Reconnects++;
                    await CatchUpAsync(since, stoppingToken);
                }

                _connected = true;
                _firstConnection.TrySetResult();
                LogListening(node.Id);
                retry = FirstRetry;
                while (true)
                {
                    lastAlive = clock.GetUtcNow().ToUnixTimeMilliseconds();
                    if (!await connection.WaitAsync(IdleCheck, stoppingToken))
                    {
                        await ExecuteAsync(connection, "SELECT 1", stoppingToken);
                    }
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                _connected = false;
                LogListenFailed(ex, retry.TotalMilliseconds);
                await Task.Delay(retry, clock, stoppingToken);
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
            }
        }
    }

    private async Task CatchUpAsync(long lastAlive, CancellationToken cancellationToken)
    {
        await relay.CatchUpAsync(lastAlive - (long)CatchUpMargin.TotalMilliseconds, cancellationToken);
        control.CatchUp();
        dispatcher.Wake();
    }

    private void Dispatch(string channel, string payload)
    {
        if (channel == ClusterChannels.Events)
        {
            foreach (var notice in EventNotice.Parse(payload))
            {
                relay.Notify(notice);
            }
        }
        else if (channel == ClusterChannels.Control)
        {
            control.Receive(payload);
        }
        else if (channel == ClusterChannels.RunQueued)
        {
            dispatcher.Wake();
        }
    }

    /// <summary>The configured database, without pooling (this connection is held for the node's life) and with TCP
    /// keepalives, so a peer that vanished without closing is noticed.</summary>
    private string ConnectionString() => new NpgsqlConnectionStringBuilder(storage.Value.ConnectionString)
    {
        Pooling = false,
        KeepAlive = 10,
        ApplicationName = $"meridian-listener-{node.Id}",
    }.ConnectionString;

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "Node {NodeId} listens for the other nodes' run events and control messages")]
    private partial void LogListening(string nodeId);

    [LoggerMessage(EventId = 901, Level = LogLevel.Warning, Message = "The cluster listener lost its connection; reconnecting in {DelayMs} ms")]
    private partial void LogListenFailed(Exception ex, double delayMs);
}
