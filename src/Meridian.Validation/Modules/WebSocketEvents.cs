using System.Diagnostics;
using Meridian.Client;
using Meridian.Client.Events;
using Meridian.Client.Socket;
using Meridian.Validation.Checks;
using static Meridian.Validation.Checks.CheckRequirements;

namespace Meridian.Validation.Modules;

/// <summary>The socket itself: every way of presenting credentials, the welcome, liveness, several sockets at
/// once, and one run's events arriving on it.</summary>
internal static class WebSocketEvents
{
    private const string Name = "websocket_events";

    public static ValidationModule Module { get; } = new(Name, "The /ws handshake, the welcome frame and events on the socket", [
        new(Name, "upgrade_bearer_header", "Upgrade with Authorization: Bearer; the welcome comes first and matches the contract; the socket answers a ping", CheckBudget.Quick, BearerHeaderAsync),
        new(Name, "upgrade_browser_subprotocol", "Upgrade offering [jwt-auth, jwt.<token>] as a browser does; the 101 selects jwt-auth", CheckBudget.Quick, SubprotocolAsync),
        new(Name, "auth_frame_after_connect", "Upgrade without credentials gets AUTH_REQUIRED; an auth frame then gets the welcome", CheckBudget.Quick, AuthFrameAsync),
        new(Name, "tampered_token_refused", "A token with a broken signature is refused with 401 before the upgrade", CheckBudget.Quick, TamperedTokenAsync),
        new(Name, "welcome_latency", "The welcome arrives within the latency threshold after the upgrade", CheckBudget.Quick, WelcomeLatencyAsync),
        new(Name, "concurrent_sockets", "Five sockets of one user open at once, each with its own welcome, each answering", CheckBudget.Quick, ConcurrentSocketsAsync),
        new(Name, "heartbeat", "A heartbeat frame is answered with heartbeat_ack {status: healthy}", CheckBudget.Quick, HeartbeatAsync),
        new(Name, "event_flow", "A message's run streams agent_started ... a terminal event over the socket, keeping the run contract", CheckBudget.Run, EventFlowAsync),
    ]);

    private static async Task BearerHeaderAsync(CheckContext ctx)
    {
        var socket = await ctx.ConnectAsync(await ctx.UserAsync());
        await ctx.PingAsync(socket);
    }

    private static async Task SubprotocolAsync(CheckContext ctx)
    {
        var socket = await ctx.ConnectAsync(await ctx.UserAsync(), TokenPlacement.Subprotocol);
        ctx.Note($"selected subprotocol: {socket.SubProtocol ?? "(none)"}");
        Require(socket.SubProtocol == SocketOptions.JwtAuthProtocol, DiagnosisKind.SubprotocolNegotiation,
            $"offered [jwt-auth, jwt.<token>], the 101 selected {(socket.SubProtocol is null ? "no subprotocol" : $"'{socket.SubProtocol}'")}: browsers fail such a connection (1002)");
        await ctx.PingAsync(socket);
    }

    private static async Task AuthFrameAsync(CheckContext ctx)
    {
        var user = await ctx.UserAsync();
        var socket = await ctx.OpenAsync(new SocketOptions { Placement = TokenPlacement.None });
        var first = await socket.ReceiveAsync(ctx.Settings.EventTimeout, "the AUTH_REQUIRED error", ctx.Cancellation);
        Require(first is ErrorFrame { ErrorCode: "AUTH_REQUIRED" }, DiagnosisKind.ContractViolation,
            $"a socket without credentials first got {first}, not an error AUTH_REQUIRED");
        RequireWelcome(await ctx.AnswerAsync(socket, () => socket.SendAsync(new { type = "auth", token = user.Token }, ctx.Cancellation), _ => true, "the welcome after the auth frame"), user);
        await ctx.PingAsync(socket);
    }

    private static async Task TamperedTokenAsync(CheckContext ctx)
    {
        var token = (await ctx.UserAsync()).Token;
        var signature = token.LastIndexOf('.') + 1;
        var tampered = token[..signature] + (token[signature] == 'A' ? 'B' : 'A') + token[(signature + 1)..];
        try
        {
            await ctx.OpenAsync(new SocketOptions { Token = tampered });
        }
        catch (SocketConnectException ex) when (ex.Stage == TransportStage.Upgrade && ex.Status == 401)
        {
            ctx.Note("refused with 401 before the upgrade");
            return;
        }

        throw new CheckFailedException(new Diagnosis(DiagnosisKind.ContractViolation, "a token with a tampered signature was accepted (101)"));
    }

    private static async Task WelcomeLatencyAsync(CheckContext ctx)
    {
        var user = await ctx.UserAsync();
        var socket = await ctx.OpenAsync(new SocketOptions { Token = user.Token });
        var clock = Stopwatch.StartNew();
        var first = await socket.ReceiveWelcomeAsync(ctx.Settings.EventTimeout, ctx.Cancellation);
        var elapsed = clock.Elapsed;
        RequireWelcome(first, user);
        ctx.RequireWithin(elapsed, ctx.Settings.LatencyThreshold, "welcome after the upgrade");
    }

    private static async Task ConcurrentSocketsAsync(CheckContext ctx)
    {
        var user = await ctx.UserAsync();
        var sockets = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => ctx.ConnectAsync(user)));
        var ids = sockets.Select(s => s.Welcome!.ConnectionId).Distinct().Count();
        Require(ids == sockets.Length, DiagnosisKind.ContractViolation, $"{sockets.Length} sockets got only {ids} distinct connection_id(s)");
        await Task.WhenAll(sockets.Select(s => ctx.PingAsync(s)));
        ctx.Note($"{sockets.Length} sockets open and answering");
    }

    private static async Task HeartbeatAsync(CheckContext ctx)
    {
        var socket = await ctx.ConnectAsync(await ctx.UserAsync());
        var ack = await ctx.AskAsync(socket, new() { ["type"] = "heartbeat" }, "heartbeat_ack");
        Require(ack.Type == "heartbeat_ack" && ack.Raw.Text("status") == "healthy", DiagnosisKind.ContractViolation,
            $"a heartbeat was answered with {ack}, not heartbeat_ack {{status: healthy}}");
    }

    private static async Task EventFlowAsync(CheckContext ctx)
    {
        var socket = await ctx.ConnectAsync(await ctx.UserAsync());
        RequireCompleted(await ctx.RunAsync(socket));
    }
}
