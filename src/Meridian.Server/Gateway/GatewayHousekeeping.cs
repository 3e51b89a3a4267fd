using System.Net.WebSockets;
using Meridian.Server.Errors;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Gateway;

/// <summary>Once a second, for every socket: the idle data heartbeat, the auth timeout of sockets without
/// credentials, and token expiry with its re-auth grace. One loop for all sockets keeps each socket cheap.</summary>
internal sealed class GatewayHousekeeping(ConnectionRegistry registry, IOptions<GatewayOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Sweep(DateTimeOffset.UtcNow, Environment.TickCount64);
        }
    }

    internal void Sweep(DateTimeOffset now, long ticks)
    {
        var o = options.Value;
        foreach (var connection in registry.All)
        {
            if (connection.User is null)
            {
                if (ticks - connection.OpenedAt > o.AuthTimeoutSeconds * 1000L)
                {
                    connection.Close(WebSocketCloseStatus.PolicyViolation, "authentication timeout");
                }

                continue;
            }

            if (connection.ReauthSince is { } since)
            {
                if (ticks - since > o.ReauthGraceSeconds * 1000L)
                {
                    connection.Close(WebSocketCloseStatus.PolicyViolation, "token expired");
                    continue;
                }
            }
            else if (connection.User.ExpiresAt <= now)
            {
                connection.ReauthSince = ticks;
                connection.SendError(ErrorCodes.TokenExpired, $"The token has expired; send a fresh {{\"type\":\"auth\",\"token\":...}} within {o.ReauthGraceSeconds} s.");
            }

            if (connection.IdleMilliseconds >= o.HeartbeatIntervalSeconds * 1000L)
            {
                connection.Send(Frames.Build("heartbeat", null), "heartbeat");
            }
        }
    }
}
