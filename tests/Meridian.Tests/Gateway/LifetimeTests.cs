using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;

namespace Meridian.Tests.Gateway;

/// <summary>docs/protocol.md#5-heartbeat-lifetime-close-codes over real sockets: the idle data heartbeat, dropping a peer that stops answering protocol
/// pings, token expiry with its re-auth grace, and re-auth on an authenticated socket. Intervals are configured
/// short so the file runs in seconds; every wait for the server is bounded well above what the protocol allows.</summary>
public sealed class LifetimeTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(15);

    private static string Type(JsonElement frame) => frame.GetProperty("type").GetString()!;

    private static async Task<int> ActiveConnectionsAsync(Infrastructure.ServerHarness server)
    {
        var (response, body) = await server.GetJsonAsync("/ws/health");
        response.EnsureSuccessStatusCode();
        return body.GetProperty("active_connections").GetInt32();
    }

    /// <summary>Polls <c>/ws/health</c> until it counts <paramref name="expected"/> open sockets; false after <paramref name="wait"/>.</summary>
    private static async Task<bool> WaitForConnectionsAsync(Infrastructure.ServerHarness server, int expected, TimeSpan wait)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < wait)
        {
            if (await ActiveConnectionsAsync(server) == expected)
            {
                return true;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        return false;
    }

    [Fact]
    public async Task An_idle_authenticated_socket_keeps_getting_heartbeat_data_frames_and_stays_open()
    {
        await using var server = await GatewayHarness.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:HeartbeatIntervalSeconds"] = "1" });
        await using var client = await WsClient.ConnectAsync(server.BaseAddress, bearer: GatewayHarness.Token("alice"));
        var welcome = await client.ExpectTypeAsync("system_message");
        welcome.GetProperty("data").GetProperty("config").GetProperty("heartbeat_interval").GetInt32().ShouldBe(1);

        // The client sends nothing: every frame it gets now is the server's own idle heartbeat.
        var heartbeats = new List<JsonElement>();
        for (var i = 0; i < 3; i++)
        {
            var frame = await client.ReceiveAsync(Generous);
            frame.ShouldNotBeNull("the server closed an idle but live socket");
            heartbeats.Add(frame.Value);
        }

        foreach (var heartbeat in heartbeats)
        {
            Type(heartbeat).ShouldBe("heartbeat");
            heartbeat.EnumerateObject().Select(p => p.Name).ShouldBe(["type", "timestamp"], ignoreOrder: true);
            DateTimeOffset.TryParse(heartbeat.GetProperty("timestamp").GetString(), out _).ShouldBeTrue();
        }

        client.Socket.State.ShouldBe(WebSocketState.Open);
        await client.SendAsync(new { type = "ping", id = "after-heartbeats" });
        var pong = await client.ExpectTypeAsync("pong");
        pong.GetProperty("reply_to").GetString().ShouldBe("after-heartbeats");
    }

    [Fact]
    public async Task A_peer_that_stops_answering_pings_is_dropped_within_twice_the_heartbeat_while_a_live_one_stays()
    {
        const int heartbeat = 2;
        await using var server = await GatewayHarness.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:HeartbeatIntervalSeconds"] = heartbeat.ToString() });
        await using var live = await WsClient.OpenAsync(server.BaseAddress, GatewayHarness.Token("alice"));

        // A ClientWebSocket answers a ping only while a receive is pending, and its own unsolicited pongs come every
        // 30 s (its default KeepAliveInterval): a socket that is never read again is a peer that stopped answering.
        await using var silent = await WsClient.ConnectAsync(server.BaseAddress, bearer: GatewayHarness.Token("bob"));
        var sinceSilent = Stopwatch.StartNew();
        (await WaitForConnectionsAsync(server, 2, Generous)).ShouldBeTrue("both sockets should be open at first");

        // The live socket reads all along (answering the server's pings) until the pong of a ping sent after the drop.
        var liveAnswer = live.ExpectAsync(f => Type(f) == "pong", TimeSpan.FromSeconds(40));
        var dropped = await WaitForConnectionsAsync(server, 1, TimeSpan.FromSeconds(25));
        var droppedAfter = sinceSilent.Elapsed;
        dropped.ShouldBeTrue($"the silent peer was still open after {droppedAfter.TotalSeconds:F1} s");
        // Protocol: dropped within 2 × heartbeat_interval (4 s); the bound leaves 8 s of slack for a loaded machine.
        droppedAfter.ShouldBeLessThan(TimeSpan.FromSeconds(2 * heartbeat + 8));

        await live.SendAsync(new { type = "ping", id = "still-here" });
        var pong = await liveAnswer;
        pong.GetProperty("reply_to").GetString().ShouldBe("still-here");
        live.Socket.State.ShouldBe(WebSocketState.Open);
        live.Seen.Count(f => Type(f) == "heartbeat").ShouldBeGreaterThan(0, "the live socket idled through the wait");
        (await ActiveConnectionsAsync(server)).ShouldBe(1);

        // The silent peer's side: what was buffered for it, then the connection ends (it was cut, not closed politely).
        await silent.ExpectCloseAsync(Generous);
        silent.Socket.State.ShouldNotBe(WebSocketState.Open);
    }

    [Fact]
    public async Task An_expired_token_gets_TOKEN_EXPIRED_then_a_fresh_auth_keeps_the_socket_and_without_one_it_closes_1008()
    {
        const int grace = 3;
        await using var server = await GatewayHarness.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:ReauthGraceSeconds"] = grace.ToString() });
        var expiring = GatewayHarness.Token("carol", DateTimeOffset.UtcNow.AddSeconds(2));
        await using var renewing = await WsClient.OpenAsync(server.BaseAddress, expiring);
        await using var lapsing = await WsClient.OpenAsync(server.BaseAddress, expiring);

        var renewingExpired = await renewing.ExpectTypeAsync("error", Generous);
        renewingExpired.GetProperty("error_code").GetString().ShouldBe("TOKEN_EXPIRED");
        await renewing.SendAsync(new { type = "auth", token = GatewayHarness.Token("carol"), id = "renew" });
        var renewed = await renewing.ExpectTypeAsync("system_message");
        renewed.GetProperty("data").GetProperty("user_id").GetString().ShouldBe("carol");

        var lapsingExpired = await lapsing.ExpectTypeAsync("error", Generous);
        var sinceExpired = Stopwatch.StartNew();
        lapsingExpired.GetProperty("error_code").GetString().ShouldBe("TOKEN_EXPIRED");
        lapsingExpired.GetProperty("message").GetString()!.ShouldContain("auth");
        // Still open during the grace: it answers frames.
        await lapsing.SendAsync(new { type = "ping", id = "in-grace" });
        (await lapsing.ExpectTypeAsync("pong")).GetProperty("reply_to").GetString().ShouldBe("in-grace");

        (await lapsing.ExpectCloseAsync(Generous)).ShouldBe(WebSocketCloseStatus.PolicyViolation);
        // Not closed at expiry but after the grace (a second of slack for frame delivery and the 1 s sweep).
        sinceExpired.Elapsed.ShouldBeGreaterThan(TimeSpan.FromSeconds(grace - 1));

        // The renewed socket has outlived the same grace by a sweep or more and still works.
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
        await renewing.SendAsync(new { type = "ping", id = "after-grace" });
        (await renewing.ExpectTypeAsync("pong")).GetProperty("reply_to").GetString().ShouldBe("after-grace");
        renewing.Socket.State.ShouldBe(WebSocketState.Open);
        renewing.Seen.Count(f => Type(f) == "error").ShouldBe(1, "only the one TOKEN_EXPIRED: the fresh token renewed the expiry");
    }

    [Fact]
    public async Task Auth_on_an_authenticated_socket_refuses_another_users_token_and_accepts_the_same_users()
    {
        await using var server = await GatewayHarness.StartAsync();
        await using var client = await WsClient.OpenAsync(server.BaseAddress, GatewayHarness.Token("alice"));

        await client.SendAsync(new { type = "auth", token = GatewayHarness.Token("bob"), id = "swap" });
        var refused = await client.ExpectTypeAsync("error");
        refused.GetProperty("error_code").GetString().ShouldBe("IDENTITY_MISMATCH");
        refused.GetProperty("reply_to").GetString().ShouldBe("swap");

        await client.SendAsync(new { type = "ping", id = "after-swap" });
        (await client.ExpectTypeAsync("pong")).GetProperty("reply_to").GetString().ShouldBe("after-swap");
        client.Socket.State.ShouldBe(WebSocketState.Open);

        await client.SendAsync(new { type = "auth", token = GatewayHarness.Token("alice", DateTimeOffset.UtcNow.AddHours(1)), id = "renew" });
        var welcome = await client.ExpectTypeAsync("system_message");
        welcome.GetProperty("data").GetProperty("event").GetString().ShouldBe("connection_established");
        welcome.GetProperty("data").GetProperty("user_id").GetString().ShouldBe("alice");
        welcome.GetProperty("reply_to").GetString().ShouldBe("renew", "the welcome answers the auth frame");
        client.Seen.Count(f => Type(f) == "error").ShouldBe(1, "the same user's token is accepted without an error");
        client.Socket.State.ShouldBe(WebSocketState.Open);
    }
}
