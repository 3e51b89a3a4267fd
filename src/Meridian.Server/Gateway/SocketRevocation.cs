using Meridian.Server.Auth;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Gateway;

/// <summary>Makes a logout, a reused refresh token or a disabled account reach the sockets already open with those
/// credentials (docs/protocol.md, docs/auth.md): such a socket gets an <c>error</c> (<c>TOKEN_REVOKED</c> or
/// <c>ACCOUNT_DISABLED</c>) and is closed with 1008, whether or not it sends anything.</summary>
/// <remarks>Two paths. A revocation made through this node arrives at once through <see cref="RevocationSignal"/>.
/// Every <see cref="GatewayOptions.RevocationCheckSeconds"/> one query asks the database about all the users,
/// tokens and sessions of the open sockets, which catches changes made by another node or in the database directly.
/// Nothing is checked per frame: a frame only reads the socket's revocation flag. A socket is matched on the
/// identity it holds now, so one re-authenticated with a fresh token of a live session is not closed for its old
/// token (rotation is not revocation).</remarks>
internal sealed partial class SocketRevocation(
    ConnectionRegistry registry,
    RevocationSignal signal,
    RevocationLookup lookup,
    IOptions<GatewayOptions> options,
    ILogger<SocketRevocation> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        signal.Subscribe(Apply);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RevocationCheckSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be briefly unreachable; the next check tries again.
                LogCheckFailed(ex);
            }
        }
    }

    /// <summary>One query for every authenticated socket of this node, then the sockets it cuts off are closed.</summary>
    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        var users = registry.All.Select(c => c.User).OfType<AuthenticatedUser>().ToList();
        if (users.Count == 0)
        {
            return;
        }

        var revoked = await lookup.FindAsync(users, cancellationToken);
        if (revoked.IsEmpty)
        {
            return;
        }

        foreach (var connection in registry.All)
        {
            if (connection.User is { } user && revoked.Ending(user) is { } revocation)
            {
                End(connection, revocation);
            }
        }
    }

    /// <summary>A revocation made through this node: every matching socket, at once.</summary>
    private void Apply(Revocation revocation)
    {
        foreach (var connection in registry.All)
        {
            if (connection.User is { } user && revocation.Ends(user))
            {
                End(connection, revocation);
            }
        }
    }

    private void End(GatewayConnection connection, Revocation revocation)
    {
        if (connection.Revoke(revocation))
        {
            LogRevoked(connection.Id, revocation.UserId, revocation.Error.Code);
        }
    }

    [LoggerMessage(EventId = 720, Level = LogLevel.Information, Message = "Socket {ConnectionId} of user {UserId} closed: {ErrorCode}")]
    private partial void LogRevoked(string connectionId, string userId, string errorCode);

    [LoggerMessage(EventId = 721, Level = LogLevel.Warning, Message = "Checking open sockets for revoked tokens and disabled accounts failed")]
    private partial void LogCheckFailed(Exception ex);
}
