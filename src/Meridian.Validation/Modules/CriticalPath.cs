using Meridian.Client;
using Meridian.Client.Socket;
using Meridian.Validation.Checks;
using static Meridian.Validation.Checks.CheckRequirements;

namespace Meridian.Validation.Modules;

/// <summary>The path every user takes: the routes the UI calls first, signing in, a thread, and a chat turn from a
/// browser-style socket to the answer.</summary>
internal static class CriticalPath
{
    private const string Name = "critical_path";

    private static readonly string[] Routes =
        ["/health", "/api/health", "/health/ready", "/api/discovery/services", "/api/config/public", "/auth/config", "/ws/config", "/ws/health"];

    public static ValidationModule Module { get; } = new(Name, "What every user needs: endpoints, sign-in, threads, a chat turn", [
        new(Name, "critical_endpoints", $"{string.Join(", ", Routes)} answer 200 JSON without redirects, each within the latency threshold", CheckBudget.Quick, EndpointsAsync),
        new(Name, "token_identity", "GET /auth/me with the token names the same user as the socket's welcome", CheckBudget.Quick, IdentityAsync),
        new(Name, "threads_api", "POST /api/threads creates a thread that GET /api/threads lists and whose messages are readable", CheckBudget.Quick, ThreadsAsync),
        new(Name, "browser_chat_end_to_end", "A browser-style socket (subprotocol token) sends a message and receives the streamed answer", CheckBudget.Run, ChatAsync),
    ]);

    private static async Task EndpointsAsync(CheckContext ctx)
    {
        foreach (var route in Routes)
        {
            var response = await ctx.SendAsync(HttpMethod.Get, route);
            RequireJson(response, 200);
            ctx.RequireWithin(response.Elapsed, ctx.Settings.LatencyThreshold, $"GET {route}");
        }
    }

    private static async Task IdentityAsync(CheckContext ctx)
    {
        var user = await ctx.UserAsync();
        var me = await ctx.GetJsonAsync("/auth/me", user);
        var socket = await ctx.ConnectAsync(user);
        Require(me.Text("id") == socket.Welcome!.UserId, DiagnosisKind.WrongUser,
            $"GET /auth/me says {me.Text("id")}; the socket's welcome says {socket.Welcome.UserId}");
    }

    private static async Task ThreadsAsync(CheckContext ctx)
    {
        var user = await ctx.UserAsync();
        var created = await ctx.PostJsonAsync("/api/threads", new { title = $"meridian validate {ctx.Settings.RunId}" }, user, 201);
        var id = created.Text("id");
        Require(id is not null, DiagnosisKind.ContractViolation, $"POST /api/threads answered without an id: {created}");
        var list = await ctx.GetJsonAsync("/api/threads?limit=100", user);
        Require(list.Field("threads") is { } threads && threads.EnumerateArray().Any(t => t.Text("id") == id), DiagnosisKind.ContractViolation,
            $"GET /api/threads does not list the new thread {id}");
        var messages = await ctx.GetJsonAsync($"/api/threads/{id}/messages", user);
        Require(messages.Number("total") == 0, DiagnosisKind.ContractViolation, $"the new thread {id} has messages: {Diagnoser.Shorten(messages.GetRawText(), 200)}");
    }

    private static async Task ChatAsync(CheckContext ctx)
    {
        var socket = await ctx.ConnectAsync(await ctx.UserAsync(), TokenPlacement.Subprotocol);
        var run = await ctx.RunAsync(socket);
        var response = RequireCompleted(run).Response;
        Require(!string.IsNullOrWhiteSpace(response), DiagnosisKind.ContractViolation, $"{run.RunId} completed with an empty response");
        ctx.Note($"answer in {(run.Terminal.Received - run.SentAt).TotalMilliseconds:0} ms");
    }
}
