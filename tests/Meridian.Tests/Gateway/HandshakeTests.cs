namespace Meridian.Tests.Gateway;

public sealed class HandshakeTests
{
    private static readonly string Alice = GatewayHarness.Token("alice");

    [Theory]
    [InlineData("header")]
    [InlineData("subprotocol")]
    [InlineData("query")]
    [InlineData("alias")]
    public async Task Each_credential_source_opens_a_socket_whose_first_frame_is_the_welcome(string source)
    {
        await using var server = await GatewayHarness.StartAsync();
        await using var client = source switch
        {
            "header" => await WsClient.ConnectAsync(server.BaseAddress, bearer: Alice),
            "subprotocol" => await WsClient.ConnectAsync(server.BaseAddress, protocols: ["jwt-auth", WsClient.SubprotocolToken(Alice)]),
            "query" => await WsClient.ConnectAsync(server.BaseAddress, query: "token=" + Alice),
            _ => await WsClient.ConnectAsync(server.BaseAddress, bearer: Alice, path: "/websocket"),
        };

        var welcome = (await client.ReceiveAsync())!.Value;

        welcome.GetProperty("type").GetString().ShouldBe("system_message");
        welcome.GetProperty("timestamp").GetString()!.ShouldMatch(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$");
        var data = welcome.GetProperty("data");
        data.GetProperty("event").GetString().ShouldBe("connection_established");
        data.GetProperty("connection_id").GetString()!.ShouldStartWith("ws_");
        data.GetProperty("user_id").GetString().ShouldBe("alice");
        data.GetProperty("connection_ready").GetBoolean().ShouldBeTrue();
        data.GetProperty("startup_complete").GetBoolean().ShouldBeTrue();
        data.GetProperty("environment").GetString().ShouldBe("development");
        data.GetProperty("protocol_version").GetInt32().ShouldBe(1);
        data.GetProperty("config").GetProperty("heartbeat_interval").GetInt32().ShouldBe(25);
        data.GetProperty("config").GetProperty("max_message_size").GetInt32().ShouldBe(8192);
        if (source == "subprotocol")
        {
            client.Socket.SubProtocol.ShouldBe("jwt-auth");
        }
    }

    [Fact]
    public async Task Subprotocol_selection_follows_the_offer()
    {
        await using var server = await GatewayHarness.StartAsync();
        var encoded = WsClient.SubprotocolToken(Alice);

        var browser = await RawHandshake.SendAsync(server, new Dictionary<string, string> { ["Sec-WebSocket-Protocol"] = $"jwt-auth, {encoded}" });
        var rawOnly = await RawHandshake.SendAsync(server, new Dictionary<string, string> { ["Sec-WebSocket-Protocol"] = encoded });
        var headerOnly = await RawHandshake.SendAsync(server, new Dictionary<string, string> { ["Authorization"] = "Bearer " + Alice, ["Sec-WebSocket-Protocol"] = "jwt-auth" });

        browser.Status.ShouldBe(101);
        browser.Headers["Sec-WebSocket-Protocol"].ShouldBe("jwt-auth");
        rawOnly.Status.ShouldBe(101);
        rawOnly.Headers.ContainsKey("Sec-WebSocket-Protocol").ShouldBeFalse("a jwt.<token> entry is never selected");
        headerOnly.Status.ShouldBe(101);
        headerOnly.Headers["Sec-WebSocket-Protocol"].ShouldBe("jwt-auth");
    }

    [Theory]
    [InlineData("Authorization", "Bearer not.a.jwt", 401, "INVALID_TOKEN")]
    [InlineData("Authorization", "Bearer EXPIRED", 401, "TOKEN_EXPIRED")]
    [InlineData("Authorization", "Bearer WRONGKEY", 401, "INVALID_TOKEN")]
    [InlineData("Sec-WebSocket-Protocol", "jwt-auth, jwt.%%%", 401, "INVALID_TOKEN")]
    [InlineData("Origin", "https://evil.example.net", 403, "ORIGIN_NOT_ALLOWED")]
    public async Task Bad_credentials_and_foreign_origins_are_refused_before_the_upgrade_with_a_problem_body(string header, string value, int status, string code)
    {
        await using var server = await GatewayHarness.StartAsync(settings: new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = "https://app.example.com" });
        value = value
            .Replace("EXPIRED", GatewayHarness.Token("alice", DateTimeOffset.UtcNow.AddMinutes(-5)), StringComparison.Ordinal)
            .Replace("WRONGKEY", Auth.AuthHarness.Mint(new Dictionary<string, object> { ["sub"] = "alice" }, secret: "another-secret-that-is-long-enough-0123456789"), StringComparison.Ordinal);

        var (got, headers, body) = await RawHandshake.SendAsync(server, new Dictionary<string, string> { [header] = value });

        got.ShouldBe(status);
        headers["Content-Type"].ShouldStartWith("application/problem+json");
        body.ShouldContain($"\"error_code\":\"{code}\"");
    }

    [Fact]
    public async Task A_refused_handshake_is_answered_by_the_whole_pipeline_with_its_request_id()
    {
        await using var server = await GatewayHarness.StartAsync();

        var (status, headers, body) = await RawHandshake.SendAsync(server, new Dictionary<string, string>
        {
            ["Authorization"] = "Bearer not.a.jwt",
            ["X-Request-Id"] = "handshake-42",
        });

        status.ShouldBe(401);
        headers["X-Request-Id"].ShouldBe("handshake-42");
        headers["WWW-Authenticate"].ShouldBe("Bearer error=\"invalid_token\"");
        headers["X-Content-Type-Options"].ShouldBe("nosniff");
        body.ShouldContain("\"request_id\":\"handshake-42\"");
    }

    [Fact]
    public async Task A_browser_origin_in_the_allowed_list_and_a_request_without_origin_are_accepted()
    {
        await using var server = await GatewayHarness.StartAsync(settings: new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = "https://app.example.com" });

        var browser = await RawHandshake.SendAsync(server, new Dictionary<string, string> { ["Origin"] = "https://app.example.com", ["Authorization"] = "Bearer " + Alice });
        var tool = await RawHandshake.SendAsync(server, new Dictionary<string, string> { ["Authorization"] = "Bearer " + Alice });

        browser.Status.ShouldBe(101);
        tool.Status.ShouldBe(101);
    }

    [Fact]
    public async Task A_disabled_user_or_one_without_chat_permission_when_enforced_gets_403()
    {
        await using var server = await GatewayHarness.StartAsync(settings: new Dictionary<string, string?> { ["Auth:EnforcePermissions"] = "true" });
        var noChat = Auth.AuthHarness.Mint(new Dictionary<string, object> { ["sub"] = "bob", ["permissions"] = new[] { "read" } });

        var (status, _, body) = await RawHandshake.SendAsync(server, new Dictionary<string, string> { ["Authorization"] = "Bearer " + noChat });

        status.ShouldBe(403);
        body.ShouldContain("PERMISSION_DENIED");
    }

    [Fact]
    public async Task Without_credentials_the_socket_asks_for_auth_answers_every_frame_so_and_accepts_an_auth_frame()
    {
        await using var server = await GatewayHarness.StartAsync();
        await using var client = await WsClient.ConnectAsync(server.BaseAddress);

        var first = (await client.ReceiveAsync())!.Value;
        await client.SendAsync(new { type = "ping", id = 1 });
        var refused = (await client.ReceiveAsync())!.Value;
        await client.SendAsync(new { type = "auth", token = "garbage", id = "a1" });
        var invalid = (await client.ReceiveAsync())!.Value;
        await client.SendAsync(new { type = "auth", token = Alice });
        var welcome = (await client.ReceiveAsync())!.Value;
        await client.SendAsync(new { type = "ping", id = 2 });
        var pong = (await client.ReceiveAsync())!.Value;

        first.GetProperty("error_code").GetString().ShouldBe("AUTH_REQUIRED");
        first.GetProperty("message").GetString().ShouldBe("Authentication required: send {\"type\":\"auth\",\"token\":...}");
        refused.GetProperty("error_code").GetString().ShouldBe("AUTH_REQUIRED");
        refused.GetProperty("reply_to").GetInt32().ShouldBe(1);
        invalid.GetProperty("error_code").GetString().ShouldBe("INVALID_TOKEN");
        invalid.GetProperty("reply_to").GetString().ShouldBe("a1");
        welcome.GetProperty("data").GetProperty("user_id").GetString().ShouldBe("alice");
        pong.GetProperty("type").GetString().ShouldBe("pong");
    }

    [Fact]
    public async Task A_socket_that_never_authenticates_is_closed_with_1008_after_the_auth_timeout()
    {
        const int timeoutSeconds = 3;
        var timeout = TimeSpan.FromSeconds(timeoutSeconds);
        await using var server = await GatewayHarness.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:AuthTimeoutSeconds"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        // Started before the handshake, so it never runs behind the server's clock for this socket.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var client = await WsClient.ConnectAsync(server.BaseAddress);
        (await client.ReceiveAsync())!.Value.GetProperty("error_code").GetString().ShouldBe("AUTH_REQUIRED");

        // Until a second before the timeout the socket is open and answers every frame (docs/protocol.md#1-connecting: "never
        // closes because of it until auth_timeout passes").
        for (var probe = 1; probe <= 4; probe++)
        {
            var at = TimeSpan.FromMilliseconds(500 * probe);
            if (clock.Elapsed < at)
            {
                await Task.Delay(at - clock.Elapsed, TestContext.Current.CancellationToken);
            }

            await client.SendAsync(new { type = "ping", id = probe });
            var answer = await client.ReceiveAsync(TimeSpan.FromSeconds(15));
            answer.ShouldNotBeNull($"closed ({client.Socket.CloseStatus}) {clock.Elapsed.TotalSeconds:F2} s after connecting, before the {timeoutSeconds} s auth timeout");
            answer.Value.GetProperty("error_code").GetString().ShouldBe("AUTH_REQUIRED");
            answer.Value.GetProperty("reply_to").GetInt32().ShouldBe(probe);
        }

        var status = await client.ExpectCloseAsync(TimeSpan.FromSeconds(30));
        var closedAfter = clock.Elapsed;

        status.ShouldBe(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation);
        // Not before the timeout (50 ms allow for the granularity of the server's tick clock, not for scheduling);
        // late only by the housekeeping sweep (1 s) plus scheduling, for which the bound is generous.
        closedAfter.ShouldBeGreaterThanOrEqualTo(timeout - TimeSpan.FromMilliseconds(50), "closed before the auth timeout");
        closedAfter.ShouldBeLessThan(timeout + TimeSpan.FromSeconds(15), "closed long after the auth timeout");
    }

    [Fact]
    public async Task Ws_config_and_health_report_the_real_limits_and_connections()
    {
        await using var server = await GatewayHarness.StartAsync();
        await using var client = await WsClient.ConnectAsync(server.BaseAddress, bearer: Alice);
        await client.ReceiveAsync();

        var (_, config) = await server.GetJsonAsync("/ws/config");
        var (_, health) = await server.GetJsonAsync("/ws/health");

        config.GetProperty("limits").GetProperty("max_message_size").GetInt32().ShouldBe(8192);
        config.GetProperty("limits").GetProperty("heartbeat_interval").GetInt32().ShouldBe(25);
        health.GetProperty("active_connections").GetInt32().ShouldBe(1);
        health.GetProperty("authenticated_connections").GetInt32().ShouldBe(1);
        health.GetProperty("status").GetString().ShouldBe("healthy");
    }
}
