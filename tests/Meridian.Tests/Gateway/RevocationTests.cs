using System.Net.WebSockets;
using System.Text.Json;
using Dapper;
using Meridian.Server.Auth;
using Meridian.Server.Gateway;
using Meridian.Server.Storage;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Gateway;

/// <summary>A logout, a reused refresh token or a disabled account reaches the sockets already open with those
/// credentials (docs/protocol.md#5-heartbeat-lifetime-close-codes): an <c>error</c> frame, then close 1008, without the client sending
/// anything. Revocations made through the server arrive at once (the periodic check is set far beyond the waits
/// here, so only the immediate signal can pass those tests); changes made in the database directly are found by the
/// periodic check, set to 1 s there.</summary>
public sealed class RevocationTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    /// <summary>The periodic check never runs during a test: what closes a socket is the immediate signal.</summary>
    private static readonly Dictionary<string, string?> SignalOnly = new() { ["Gateway:RevocationCheckSeconds"] = "300" };

    private static readonly Dictionary<string, string?> CheckEverySecond = new() { ["Gateway:RevocationCheckSeconds"] = "1" };

    private static string Type(JsonElement frame) => frame.GetProperty("type").GetString()!;

    private static bool IsError(JsonElement frame, string code) =>
        Type(frame) == "error" && frame.GetProperty("error_code").GetString() == code;

    /// <summary>The socket gets the error frame, then is closed with 1008; nothing is sent to provoke it.</summary>
    private static async Task ShouldBeEndedAsync(WsClient client, string errorCode)
    {
        var error = await client.ExpectAsync(f => Type(f) == "error", Generous);
        error.GetProperty("error_code").GetString().ShouldBe(errorCode, error.ToString());
        error.GetProperty("message").GetString().ShouldNotBeNullOrWhiteSpace();
        (await client.ExpectCloseAsync(Generous)).ShouldBe(WebSocketCloseStatus.PolicyViolation);
    }

    private static async Task ShouldStayOpenAsync(WsClient client, string id)
    {
        await client.SendAsync(new { type = "ping", id });
        (await client.ExpectTypeAsync("pong", Generous)).GetProperty("reply_to").GetString().ShouldBe(id);
        client.Seen.ShouldNotContain(f => Type(f) == "error", "a socket whose credentials stand gets no error");
    }

    private static async Task<JsonElement> LoginAsync(ServerHarness server, string email)
    {
        var (response, body) = await server.PostAsync("/auth/login", new { email, password = AuthHarness.Password });
        response.EnsureSuccessStatusCode();
        return body;
    }

    /// <summary>A new account signed in twice: two sessions (refresh families) of one user.</summary>
    private static async Task<(JsonElement First, JsonElement Second)> TwoSessionsAsync(ServerHarness server)
    {
        var email = AuthHarness.NewEmail();
        var first = await server.RegisterAsync(email);
        return (first, await LoginAsync(server, email));
    }

    private static async Task<long> RunsOfAsync(ServerHarness server, string userId)
    {
        await using var connection = await server.Service<Database>().OpenAsync(TestContext.Current.CancellationToken);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM runs WHERE user_id = @userId", new { userId });
    }

    private static async Task<bool> NoSocketsAsync(ServerHarness server)
    {
        var deadline = DateTime.UtcNow + Generous;
        while (DateTime.UtcNow < deadline)
        {
            var (_, health) = await server.GetJsonAsync("/ws/health");
            if (health.GetProperty("active_connections").GetInt32() == 0)
            {
                return true;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        return false;
    }

    private static async Task ExecuteAsync(ServerHarness server, string sql, object parameters)
    {
        await using var connection = await server.Service<Database>().OpenWriterAsync(TestContext.Current.CancellationToken);
        (await connection.ExecuteAsync(sql, parameters)).ShouldBeGreaterThan(0, sql);
    }

    [Fact]
    public async Task Logout_ends_an_idle_socket_of_that_session_at_once_with_TOKEN_REVOKED_and_1008_and_spares_other_sessions()
    {
        await using var server = await GatewayHarness.StartAsync(settings: SignalOnly);
        var (session, other) = await TwoSessionsAsync(server);
        await using var loggedOut = await WsClient.OpenAsync(server.BaseAddress, session.Text("access_token"));
        await using var sameToken = await WsClient.OpenAsync(server.BaseAddress, session.Text("access_token"));
        await using var otherSession = await WsClient.OpenAsync(server.BaseAddress, other.Text("access_token"));

        var (logout, _) = await server.PostAsync("/auth/logout", token: session.Text("access_token"));
        logout.EnsureSuccessStatusCode();

        await ShouldBeEndedAsync(loggedOut, "TOKEN_REVOKED");
        await ShouldBeEndedAsync(sameToken, "TOKEN_REVOKED");
        await ShouldStayOpenAsync(otherSession, "other-session");
        var (status, _, body) = await RawHandshake.SendAsync(server, new Dictionary<string, string> { ["Authorization"] = "Bearer " + session.Text("access_token") });
        status.ShouldBe(401, body);
    }

    [Fact]
    public async Task The_frame_sent_right_after_logout_gets_TOKEN_REVOKED_and_starts_no_run()
    {
        await using var server = await GatewayHarness.StartAsync(settings: SignalOnly);
        var session = await server.RegisterAsync(AuthHarness.NewEmail());
        var userId = session.GetProperty("user").Text("id");
        await using var client = await WsClient.OpenAsync(server.BaseAddress, session.Text("access_token"));

        (await server.PostAsync("/auth/logout", token: session.Text("access_token"))).Response.EnsureSuccessStatusCode();
        await client.SendAsync(new { type = "user_message", content = "Halve our GPT-4 bill", id = "after-logout" });

        (await client.ExpectCloseAsync(Generous)).ShouldBe(WebSocketCloseStatus.PolicyViolation);
        client.Seen.ShouldContain(f => IsError(f, "TOKEN_REVOKED"), string.Join(" | ", client.Seen));
        client.Seen.ShouldNotContain(f => Type(f) == "run_accepted", string.Join(" | ", client.Seen));
        // The server reads a socket's frames one after the other and forgets the socket after the last: once it is
        // gone, the frame sent after logout has been handled.
        (await NoSocketsAsync(server)).ShouldBeTrue("the revoked socket was never let go");
        (await RunsOfAsync(server, userId)).ShouldBe(0, "a revoked socket starts no run");
    }

    [Fact]
    public async Task Disabling_an_account_through_the_store_ends_all_its_sockets_at_once_with_ACCOUNT_DISABLED()
    {
        await using var server = await GatewayHarness.StartAsync(settings: SignalOnly);
        var (first, second) = await TwoSessionsAsync(server);
        var bystander = await server.RegisterAsync(AuthHarness.NewEmail());
        await using var a = await WsClient.OpenAsync(server.BaseAddress, first.Text("access_token"));
        await using var b = await WsClient.OpenAsync(server.BaseAddress, second.Text("access_token"));
        await using var c = await WsClient.OpenAsync(server.BaseAddress, bystander.Text("access_token"));

        await server.Service<UserStore>().SetDisabledAsync(first.GetProperty("user").Text("id"), true, TestContext.Current.CancellationToken);

        await ShouldBeEndedAsync(a, "ACCOUNT_DISABLED");
        await ShouldBeEndedAsync(b, "ACCOUNT_DISABLED");
        await ShouldStayOpenAsync(c, "bystander");
        (await server.MeAsync(second.Text("access_token"))).ShouldBeProblem(403, "ACCOUNT_DISABLED");
    }

    [Fact]
    public async Task Reusing_a_refresh_token_ends_the_sockets_of_its_session_at_once_while_a_rotation_alone_ends_none()
    {
        await using var server = await GatewayHarness.StartAsync(settings: SignalOnly);
        var session = await server.RegisterAsync(AuthHarness.NewEmail());
        await using var client = await WsClient.OpenAsync(server.BaseAddress, session.Text("access_token"));

        var (rotated, next) = await server.PostAsync("/auth/refresh", new { refresh_token = session.Text("refresh_token") });
        rotated.EnsureSuccessStatusCode();
        await ShouldStayOpenAsync(client, "after-rotation");

        var reuse = await server.PostAsync("/auth/refresh", new { refresh_token = session.Text("refresh_token") });

        reuse.ShouldBeProblem(401, "INVALID_TOKEN");
        await ShouldBeEndedAsync(client, "TOKEN_REVOKED");
        (await server.MeAsync(next.Text("access_token"))).ShouldBeProblem(401, "INVALID_TOKEN");
    }

    [Fact]
    public async Task A_socket_reauthenticated_with_a_fresh_token_is_judged_by_that_token_not_the_one_it_opened_with()
    {
        await using var server = await GatewayHarness.StartAsync(settings: SignalOnly);
        var email = AuthHarness.NewEmail();
        var opening = await server.RegisterAsync(email);
        await using var rotated = await WsClient.OpenAsync(server.BaseAddress, opening.Text("access_token"));
        await using var moved = await WsClient.OpenAsync(server.BaseAddress, opening.Text("access_token"));

        // One socket renews with the next token of the same session (a refresh: rotation, not revocation); the other
        // with a token of a new login. Then the opening token is logged out, which ends its whole session.
        var (_, refreshed) = await server.PostAsync("/auth/refresh", new { refresh_token = opening.Text("refresh_token") });
        await rotated.SendAsync(new { type = "auth", token = refreshed.Text("access_token"), id = "renew" });
        (await rotated.ExpectTypeAsync("system_message", Generous)).GetProperty("reply_to").GetString().ShouldBe("renew");
        var fresh = await LoginAsync(server, email);
        await moved.SendAsync(new { type = "auth", token = fresh.Text("access_token"), id = "move" });
        (await moved.ExpectTypeAsync("system_message", Generous)).GetProperty("reply_to").GetString().ShouldBe("move");

        // The periodic check, run now (it reads the database): the rotation revoked nothing.
        await server.Service<SocketRevocation>().CheckAsync(TestContext.Current.CancellationToken);
        await ShouldStayOpenAsync(rotated, "rotated-checked");
        await ShouldStayOpenAsync(moved, "moved-checked");

        (await server.PostAsync("/auth/logout", token: opening.Text("access_token"))).Response.EnsureSuccessStatusCode();
        await server.Service<SocketRevocation>().CheckAsync(TestContext.Current.CancellationToken);

        await ShouldBeEndedAsync(rotated, "TOKEN_REVOKED");
        await ShouldStayOpenAsync(moved, "moved-after-logout");
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Changes_made_in_the_database_directly_end_idle_sockets_within_the_check_interval(StorageProvider provider)
    {
        await using var server = await GatewayHarness.StartAsync(settings: CheckEverySecond, provider: provider);
        var disabled = await server.RegisterAsync(AuthHarness.NewEmail());
        var sessionEnded = await server.RegisterAsync(AuthHarness.NewEmail());
        var bystander = await server.RegisterAsync(AuthHarness.NewEmail());
        // A token minted by another issuer sharing the key: a jti and no session.
        var foreignJti = Guid.NewGuid().ToString("N");
        var foreign = AuthHarness.Mint(new Dictionary<string, object> { ["sub"] = "ext_" + foreignJti, ["jti"] = foreignJti });
        await using var a = await WsClient.OpenAsync(server.BaseAddress, disabled.Text("access_token"));
        await using var b = await WsClient.OpenAsync(server.BaseAddress, sessionEnded.Text("access_token"));
        await using var c = await WsClient.OpenAsync(server.BaseAddress, foreign);
        await using var d = await WsClient.OpenAsync(server.BaseAddress, bystander.Text("access_token"));

        // What another node, or an operator with SQL, would do: nothing in this process is told.
        await ExecuteAsync(server, "UPDATE users SET disabled = TRUE WHERE id = @id", new { id = disabled.GetProperty("user").Text("id") });
        await ExecuteAsync(server, "UPDATE refresh_tokens SET revoked_at = 1 WHERE user_id = @id", new { id = sessionEnded.GetProperty("user").Text("id") });
        await ExecuteAsync(server, "INSERT INTO revoked_tokens (jti, expires_at) VALUES (@jti, @expires)",
            new { jti = foreignJti, expires = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds() });

        await ShouldBeEndedAsync(a, "ACCOUNT_DISABLED");
        await ShouldBeEndedAsync(b, "TOKEN_REVOKED");
        await ShouldBeEndedAsync(c, "TOKEN_REVOKED");
        await ShouldStayOpenAsync(d, "bystander");
    }

    [Fact]
    public async Task The_check_interval_is_reported_by_ws_config_and_validated()
    {
        await using var server = await GatewayHarness.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:RevocationCheckSeconds"] = "7" });
        var (_, config) = await server.GetJsonAsync("/ws/config");
        config.GetProperty("limits").GetProperty("revocation_check").GetInt32().ShouldBe(7);

        var validator = new GatewayOptionsValidator();
        validator.Validate(null, new GatewayOptions { RevocationCheckSeconds = 0 }).FailureMessage!.ShouldContain("Gateway:RevocationCheckSeconds");
        validator.Validate(null, new GatewayOptions { RevocationCheckSeconds = 301 }).FailureMessage!.ShouldContain("Gateway:RevocationCheckSeconds");
        validator.Validate(null, new GatewayOptions { RevocationCheckSeconds = 300 }).Succeeded.ShouldBeTrue();
    }
}
