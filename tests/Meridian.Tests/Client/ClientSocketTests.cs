using Meridian.Client;
using Meridian.Client.Events;
using Meridian.Client.Socket;
using Meridian.Tests.Gateway;
using Meridian.Tests.Runs;
using Meridian.Tests.Validation;
using Meridian.Validation.Contract;

namespace Meridian.Tests.Client;

/// <summary>The client's socket against a real gateway: every token placement, typed run events, waits that keep
/// what they skip, reconnect with resume, and failures named by stage.</summary>
public sealed class ClientSocketTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(TokenPlacement.Header, null)]
    [InlineData(TokenPlacement.Subprotocol, "jwt-auth")]
    [InlineData(TokenPlacement.Query, null)]
    [InlineData(TokenPlacement.AuthFrame, null)]
    public async Task Every_token_placement_gets_the_welcome(TokenPlacement placement, string? subprotocol)
    {
        await using var server = await GatewayHarness.StartAsync();
        using var client = new MeridianClient(server.BaseAddress, GatewayHarness.Token("user_placement"));

        await using var socket = await client.ConnectAsync(new SocketOptions { Placement = placement }, Ct);

        socket.Welcome.ShouldNotBeNull().UserId.ShouldBe("user_placement");
        WelcomeContract.Diff(socket.Welcome.Raw, "user_placement").ShouldBeEmpty();
        socket.SubProtocol.ShouldBe(subprotocol);
    }

    [Fact]
    public async Task A_run_arrives_as_typed_events_in_seq_order()
    {
        await using var server = await GatewayHarness.StartAsync();
        using var client = new MeridianClient(server.BaseAddress, GatewayHarness.Token("user_typed"));
        await using var socket = await client.ConnectAsync(ct: Ct);

        await socket.SendMessageAsync("hello", id: "m1", ct: Ct);
        var accepted = (RunAcceptedFrame)await socket.WaitForReplyAsync("m1", "run_accepted", TimeSpan.FromSeconds(15), Ct);
        var events = await socket.FollowRunAsync(accepted.RunId!, TimeSpan.FromSeconds(15), Ct);

        events[0].ShouldBeOfType<AgentStarted>().Agents.ShouldContain("triage");
        events.OfType<SubagentStarted>().Single().AgentName.ShouldBe("triage");
        events.OfType<AgentResponseDelta>().Single().Delta.ShouldBe("# Report");
        events[^1].ShouldBeOfType<AgentCompleted>().Response.ShouldBe("# Report");
        RunContract.Verify(events, accepted.RunId!, accepted.ThreadId).ShouldBeEmpty();
        socket.LastSeq(accepted.RunId!).ShouldBe(events[^1].Seq!.Value);
    }

    [Fact]
    public async Task A_wait_takes_what_it_matches_and_later_waits_still_get_what_it_passed_over()
    {
        await using var server = await GatewayHarness.StartAsync();
        using var client = new MeridianClient(server.BaseAddress, GatewayHarness.Token("user_waits"));
        await using var socket = await client.ConnectAsync(ct: Ct);

        await socket.SendAsync(new { type = "ping", id = "first" }, Ct);
        await socket.SendAsync(new { type = "heartbeat", id = "second" }, Ct);

        (await socket.WaitForReplyAsync("second", "heartbeat_ack", TimeSpan.FromSeconds(15), Ct)).Type.ShouldBe("heartbeat_ack");
        (await socket.WaitForReplyAsync("first", "pong", TimeSpan.FromSeconds(15), Ct)).Type.ShouldBe("pong");
        var timeout = await Should.ThrowAsync<FrameTimeoutException>(() => socket.ReceiveAsync(TimeSpan.FromMilliseconds(300), "a frame nobody sends", Ct));
        timeout.WaitingFor.ShouldBe("a frame nobody sends");
        timeout.LastFrames.Select(f => f.Type).ShouldContain("pong");
    }

    [Fact]
    public async Task Reconnect_resumes_an_open_run_from_its_last_seq_without_gaps_or_duplicates()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await GatewayHarness.StartAsync(new ScriptedPipeline(async (ctx, ct) =>
        {
            await ctx.Emitter.DeltaAsync("reporting", "one ", ct);
            await gate.Task.WaitAsync(ct);
            await ctx.Emitter.DeltaAsync("reporting", "two", ct);
            return ScriptedPipeline.Done("one two");
        }));
        using var client = new MeridianClient(server.BaseAddress, GatewayHarness.Token("user_reconnect"));
        await using var socket = await client.ConnectAsync(ct: Ct);
        var firstConnection = socket.Welcome!.ConnectionId;

        await socket.SendMessageAsync("hello", id: "m1", ct: Ct);
        var accepted = (RunAcceptedFrame)await socket.WaitForReplyAsync("m1", "run_accepted", TimeSpan.FromSeconds(15), Ct);
        var one = await socket.WaitForAsync(f => f is AgentResponseDelta, "the first delta", TimeSpan.FromSeconds(15), Ct);
        await socket.ReconnectAsync(Ct);
        gate.SetResult();
        var rest = await socket.FollowRunAsync(accepted.RunId!, TimeSpan.FromSeconds(15), Ct);

        socket.Welcome!.ConnectionId.ShouldNotBe(firstConnection);
        var all = rest.Append((RunEvent)one).OrderBy(e => e.Seq).ToList();
        RunContract.Verify(all, accepted.RunId!, accepted.ThreadId).ShouldBeEmpty();
        string.Concat(all.OfType<AgentResponseDelta>().Select(d => d.Delta)).ShouldBe("one two");
    }

    [Fact]
    public async Task Connect_failures_name_their_stage()
    {
        await using var server = await GatewayHarness.StartAsync();

        var refused = await Should.ThrowAsync<SocketConnectException>(() =>
            MeridianSocket.ConnectAsync(new Uri($"ws://{server.BaseAddress.Authority}/ws"), new SocketOptions { Token = "not.a.token" }, Ct));
        refused.Stage.ShouldBe(TransportStage.Upgrade);
        refused.Status.ShouldBe(401);
        refused.Headers["WWW-Authenticate"].ShouldContain("invalid_token");

        (await Should.ThrowAsync<SocketConnectException>(() =>
            MeridianSocket.ConnectAsync(new Uri("ws://127.0.0.1:9/ws"), new SocketOptions(), Ct))).Stage.ShouldBe(TransportStage.Tcp);
        (await Should.ThrowAsync<SocketConnectException>(() =>
            MeridianSocket.ConnectAsync(new Uri("ws://meridian.invalid/ws"), new SocketOptions(), Ct))).Stage.ShouldBe(TransportStage.Dns);
    }

    [Fact]
    public async Task A_close_by_the_server_is_reported_with_its_code()
    {
        await using var server = await GatewayHarness.StartAsync();
        await using var proxy = await FaultProxy.StartAsync(server.BaseAddress, new Fault.CloseAfterWelcome(System.Net.WebSockets.WebSocketCloseStatus.InternalServerError));
        using var client = new MeridianClient(proxy.BaseAddress, GatewayHarness.Token("user_closed"));
        await using var socket = await client.ConnectAsync(ct: Ct);

        var closed = await Should.ThrowAsync<SocketClosedException>(() => socket.ReceiveAsync(TimeSpan.FromSeconds(15), "anything", Ct));

        closed.CloseStatus.ShouldBe(1011);
        closed.AfterWelcome.ShouldBeTrue();
        closed.Message.ShouldStartWith("socket closed with code 1011 (internal error: injected by the proxy)");
        socket.CloseStatus.ShouldBe(1011);
        (await Should.ThrowAsync<SocketClosedException>(() => socket.PingAsync("late", Ct))).CloseStatus.ShouldBe(1011);
    }
}
