using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Dapper;
using Meridian.Server.Storage;
using Meridian.Tests.Auth;
using Meridian.Tests.Runs;

namespace Meridian.Tests.Gateway;

/// <summary>The edges of the /ws handshake and its discovery routes, over real sockets: forged tokens in every
/// credential source, disabled accounts, enforced permissions, many sockets of one user at once, the default 1 MiB
/// hard cap, non-default limits in /ws/config and /ws/health, and the gateway's Prometheus series.</summary>
public sealed class HandshakeEdgeTests
{
    private const int OneMiB = 1024 * 1024;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    /// <summary>The JSON problem of a refused handshake (the body may come chunked).</summary>
    private static JsonElement Problem(string body) =>
        JsonDocument.Parse(body[body.IndexOf('{', StringComparison.Ordinal)..(body.LastIndexOf('}') + 1)]).RootElement.Clone();

    /// <summary>Polls until <paramref name="done"/> holds (the server updates its counts just after a close).</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + Generous;
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            value = await read();
        }

        return value;
    }

    private static string Forged(string kind)
    {
        var parts = GatewayHarness.Token("alice").Split('.');
        var payload = AuthHarness.Base64Url($"{{\"sub\":\"mallory\",\"exp\":{DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds()}}}");
        return kind switch
        {
            // Unsigned, with an empty signature, as the alg:none attack sends it.
            "alg_none" => AuthHarness.Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + ".",
            // alice's real header and signature over a payload rewritten after signing.
            "tampered" => parts[0] + "." + payload + "." + parts[2],
            _ => "garbage-not-a-jwt",
        };
    }

    [Theory]
    [InlineData("alg_none", "header")]
    [InlineData("alg_none", "subprotocol")]
    [InlineData("alg_none", "query")]
    [InlineData("tampered", "header")]
    [InlineData("tampered", "subprotocol")]
    [InlineData("tampered", "query")]
    [InlineData("garbage", "query")]
    public async Task A_forged_or_bad_token_on_ws_is_refused_before_the_upgrade_with_401_INVALID_TOKEN(string kind, string source)
    {
        await using var server = await GatewayHarness.StartAsync();
        var token = Forged(kind);
        var headers = new Dictionary<string, string>();
        var path = "/ws";
        switch (source)
        {
            case "header":
                headers["Authorization"] = "Bearer " + token;
                break;
            case "subprotocol":
                headers["Sec-WebSocket-Protocol"] = "jwt-auth, " + WsClient.SubprotocolToken(token);
                break;
            default:
                path = "/ws?token=" + Uri.EscapeDataString(token);
                break;
        }

        var (status, responseHeaders, body) = await RawHandshake.SendAsync(server, headers, path);
        var (_, health) = await server.GetJsonAsync("/ws/health");

        status.ShouldBe(401, body);
        responseHeaders["Content-Type"].ShouldStartWith("application/problem+json");
        responseHeaders["WWW-Authenticate"].ShouldBe("Bearer error=\"invalid_token\"");
        var problem = Problem(body);
        problem.GetProperty("error_code").GetString().ShouldBe("INVALID_TOKEN");
        problem.GetProperty("status").GetInt32().ShouldBe(401);
        problem.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
        health.GetProperty("active_connections").GetInt32().ShouldBe(0, "a refused handshake opens no socket");
    }

    [Fact]
    public async Task A_disabled_users_valid_token_gets_403_ACCOUNT_DISABLED_on_ws()
    {
        await using var server = await GatewayHarness.StartAsync();
        var dave = GatewayHarness.Token("dave");
        // The first use provisions dave: the same token works while the account is enabled.
        await using (await WsClient.OpenAsync(server.BaseAddress, dave))
        {
        }

        await using (var connection = await server.Service<Database>().OpenWriterAsync(TestContext.Current.CancellationToken))
        {
            (await connection.ExecuteAsync("UPDATE users SET disabled = TRUE WHERE id = @id", new { id = "dave" })).ShouldBe(1);
        }

        var (status, headers, body) = await RawHandshake.SendAsync(server, new Dictionary<string, string> { ["Authorization"] = "Bearer " + dave });
        var viaQuery = await RawHandshake.SendAsync(server, path: "/ws?token=" + dave);

        status.ShouldBe(403, body);
        headers["Content-Type"].ShouldStartWith("application/problem+json");
        headers.ShouldNotContainKey("WWW-Authenticate", "a Bearer challenge belongs to a 401, as on REST");
        Problem(body).GetProperty("error_code").GetString().ShouldBe("ACCOUNT_DISABLED");
        viaQuery.Status.ShouldBe(403, viaQuery.Body);
        Problem(viaQuery.Body).GetProperty("error_code").GetString().ShouldBe("ACCOUNT_DISABLED");
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("read,chat")]
    [InlineData(null)] // no claim: the stored permissions of a provisioned user, ["chat"] by default
    public async Task When_permissions_are_enforced_a_token_with_chat_gets_101_and_the_welcome(string? permissions)
    {
        await using var server = await GatewayHarness.StartAsync(settings: new Dictionary<string, string?> { ["Auth:EnforcePermissions"] = "true" });
        var claims = new Dictionary<string, object> { ["sub"] = "carol" };
        if (permissions is not null)
        {
            claims["permissions"] = permissions.Split(',');
        }

        await using var client = await WsClient.OpenAsync(server.BaseAddress, AuthHarness.Mint(claims));
        await client.SendAsync(new { type = "ping", id = "p" });
        var pong = await client.ExpectTypeAsync("pong");

        client.Seen[0].GetProperty("data").GetProperty("user_id").GetString().ShouldBe("carol");
        pong.GetProperty("reply_to").GetString().ShouldBe("p");
    }

    [Fact]
    public async Task Twenty_sockets_of_one_user_opened_at_once_all_get_the_welcome_first_and_then_the_same_run()
    {
        await using var server = await GatewayHarness.StartAsync();
        var alice = GatewayHarness.Token("alice");

        var tabs = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => WsClient.OpenAsync(server.BaseAddress, alice))));
        try
        {
            tabs.Select(t => t.Seen[0].GetProperty("data").GetProperty("connection_id").GetString()).Distinct().Count().ShouldBe(20);
            tabs.ShouldAllBe(t => t.Seen[0].GetProperty("data").GetProperty("user_id").GetString() == "alice");
            var (_, health) = await server.GetJsonAsync("/ws/health");
            health.GetProperty("active_connections").GetInt32().ShouldBe(20);
            health.GetProperty("users").GetInt32().ShouldBe(1);

            await tabs[7].SendAsync(new { type = "user_message", content = "twenty tabs", id = 1 });
            var runId = (await tabs[7].ExpectTypeAsync("run_accepted", Generous)).GetProperty("run_id").GetString();
            foreach (var tab in tabs)
            {
                var done = await tab.ExpectTypeAsync("agent_completed", Generous);
                done.GetProperty("run_id").GetString().ShouldBe(runId);
                var events = tab.Seen.Where(f => f.TryGetProperty("seq", out _)).ToList();
                RunInvariants.Violations(events).ShouldBeEmpty();
                events[0].GetProperty("type").GetString().ShouldBe("agent_started");
            }
        }
        finally
        {
            foreach (var tab in tabs)
            {
                await tab.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task With_the_default_hard_cap_a_frame_under_1_MiB_gets_MESSAGE_TOO_LARGE_and_one_over_it_gets_that_error_then_1009()
    {
        await using var server = await GatewayHarness.StartAsync();
        var (_, config) = await server.GetJsonAsync("/ws/config");
        config.GetProperty("limits").GetProperty("hard_message_cap").GetInt32().ShouldBe(OneMiB, "the default configuration");
        await using var client = await WsClient.OpenAsync(server.BaseAddress, GatewayHarness.Token("alice"));

        var underCap = JsonSerializer.Serialize(new { type = "user_message", content = new string('x', OneMiB - 100) });
        Encoding.UTF8.GetByteCount(underCap).ShouldBeInRange(OneMiB - 100, OneMiB);
        await client.SendTextAsync(underCap);
        var tooLarge = await client.ExpectTypeAsync("error", Generous);
        await client.SendAsync(new { type = "ping", id = "still-open" });
        var pong = await client.ExpectTypeAsync("pong", Generous);

        tooLarge.GetProperty("error_code").GetString().ShouldBe("MESSAGE_TOO_LARGE");
        pong.GetProperty("reply_to").GetString().ShouldBe("still-open");
        client.Socket.State.ShouldBe(WebSocketState.Open);

        await client.SendBytesAsync(Encoding.UTF8.GetBytes(new string('y', OneMiB + 16)), WebSocketMessageType.Text);
        // docs/protocol.md: "frame above Gateway:HardMessageCap (1 MiB) | error MESSAGE_TOO_LARGE, then close 1009".
        var beforeClose = await client.ReceiveAsync(Generous);
        var status = await client.ExpectCloseAsync(Generous);

        beforeClose.ShouldNotBeNull("the docs promise an error frame before the close");
        beforeClose.Value.GetProperty("type").GetString().ShouldBe("error");
        beforeClose.Value.GetProperty("error_code").GetString().ShouldBe("MESSAGE_TOO_LARGE");
        status.ShouldBe(WebSocketCloseStatus.MessageTooBig);
    }

    [Fact]
    public async Task Ws_config_health_and_the_welcome_report_non_default_limits_and_the_sockets_really_open()
    {
        await using var server = await GatewayHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Gateway:HeartbeatIntervalSeconds"] = "7",
            ["Gateway:MaxMessageSize"] = "4096",
        });
        var alice = GatewayHarness.Token("alice");
        var a1 = await WsClient.OpenAsync(server.BaseAddress, alice);
        await using var a2 = await WsClient.OpenAsync(server.BaseAddress, alice);
        await using var b1 = await WsClient.OpenAsync(server.BaseAddress, GatewayHarness.Token("bob"));
        await using var anonymous = await WsClient.ConnectAsync(server.BaseAddress);
        (await anonymous.ExpectTypeAsync("error")).GetProperty("error_code").GetString().ShouldBe("AUTH_REQUIRED");

        var (configResponse, config) = await server.GetJsonAsync("/ws/config");
        var (healthResponse, health) = await server.GetJsonAsync("/ws/health");

        configResponse.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        config.GetProperty("limits").GetProperty("heartbeat_interval").GetInt32().ShouldBe(7);
        config.GetProperty("limits").GetProperty("max_message_size").GetInt32().ShouldBe(4096);
        var welcomeConfig = a1.Seen[0].GetProperty("data").GetProperty("config");
        welcomeConfig.GetProperty("heartbeat_interval").GetInt32().ShouldBe(7);
        welcomeConfig.GetProperty("max_message_size").GetInt32().ShouldBe(4096);
        healthResponse.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, "the docs say /ws/health needs no credentials");
        health.GetProperty("status").GetString().ShouldBe("healthy");
        health.GetProperty("active_connections").GetInt32().ShouldBe(4);
        health.GetProperty("authenticated_connections").GetInt32().ShouldBe(3);
        health.GetProperty("users").GetInt32().ShouldBe(2);
        health.GetProperty("send_queue_depth").GetInt32().ShouldBe(0, "every client has read all it was sent");

        // The limit reported is the one applied: a frame of exactly 4096 bytes is handled, one byte more is not.
        var prefix = "{\"type\":\"ping\",\"id\":\"edge\",\"pad\":\"";
        var exact = prefix + new string('p', 4096 - prefix.Length - 2) + "\"}";
        exact.Length.ShouldBe(4096);
        await b1.SendTextAsync(exact);
        (await b1.ExpectTypeAsync("pong")).GetProperty("reply_to").GetString().ShouldBe("edge");
        await b1.SendTextAsync(exact.Replace("\"pad\":\"", "\"pad\":\"p", StringComparison.Ordinal));
        (await b1.ExpectTypeAsync("error")).GetProperty("error_code").GetString().ShouldBe("MESSAGE_TOO_LARGE");

        await a1.DisposeAsync();
        var after = await EventuallyAsync(async () => (await server.GetJsonAsync("/ws/health")).Body, h => h.GetProperty("active_connections").GetInt32() == 3);
        after.GetProperty("active_connections").GetInt32().ShouldBe(3);
        after.GetProperty("authenticated_connections").GetInt32().ShouldBe(2);
        after.GetProperty("users").GetInt32().ShouldBe(2, "alice still has a socket");
    }

    [Fact]
    public async Task Metrics_count_open_sockets_frames_received_by_type_and_server_closes_by_code()
    {
        await using var server = await GatewayHarness.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:HardMessageCap"] = "65536" });
        await using var a1 = await WsClient.OpenAsync(server.BaseAddress, GatewayHarness.Token("alice"));
        await using var a2 = await WsClient.OpenAsync(server.BaseAddress, GatewayHarness.Token("alice"));
        await using var b1 = await WsClient.OpenAsync(server.BaseAddress, GatewayHarness.Token("bob"));
        Task<string> Scrape() => server.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);

        var open = await Scrape();
        open.ShouldContain("# TYPE meridian_ws_connections gauge");
        open.ShouldContain("\nmeridian_ws_connections{} 3\n");

        for (var i = 0; i < 3; i++)
        {
            await a1.SendAsync(new { type = "ping" });
            await a1.ExpectTypeAsync("pong");
        }

        await b1.SendAsync(new { type = "ping" });
        await b1.ExpectTypeAsync("pong");
        await a2.SendAsync(new { type = "heartbeat" });
        await a2.ExpectTypeAsync("heartbeat_ack");
        await b1.SendBytesAsync(Encoding.UTF8.GetBytes(new string('z', 70_000)), WebSocketMessageType.Text);
        (await b1.ExpectCloseAsync(Generous)).ShouldBe(WebSocketCloseStatus.MessageTooBig);

        var metrics = await EventuallyAsync(Scrape, m => m.Contains("\nmeridian_ws_connections{} 2\n", StringComparison.Ordinal));

        metrics.ShouldContain("\nmeridian_ws_connections{} 2\n", customMessage: "the socket closed by the server is no longer counted");
        metrics.ShouldContain("# TYPE meridian_ws_frames_received_total counter");
        metrics.ShouldContain("meridian_ws_frames_received_total{type=\"ping\"} 4\n");
        metrics.ShouldContain("meridian_ws_frames_received_total{type=\"heartbeat\"} 1\n");
        metrics.ShouldContain("# TYPE meridian_ws_closes_total counter");
        metrics.ShouldContain("meridian_ws_closes_total{code=\"1009\"} 1\n");
        metrics.Split('\n').Where(l => l.StartsWith("meridian_ws_closes_total{", StringComparison.Ordinal)).ShouldBe(
            ["meridian_ws_closes_total{code=\"1009\"} 1"], "no other socket was closed");
    }
}
