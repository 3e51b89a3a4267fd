using System.Text.Json;
using Meridian.Client;
using Meridian.Validation.Checks;
using static Meridian.Validation.Checks.CheckRequirements;

namespace Meridian.Validation.Modules;

/// <summary>Health, readiness and discovery: the routes a load balancer and a client look at first. Each must
/// answer 200 with JSON, never a redirect.</summary>
internal static class StartupResilience
{
    private const string Name = "startup_resilience";

    public static ValidationModule Module { get; } = new(Name, "Health, readiness, discovery and public configuration", [
        new(Name, "health", "GET /health, /health/ and /api/health answer 200 {status: healthy, service: meridian} within the latency threshold, without redirects", CheckBudget.Quick, HealthAsync),
        new(Name, "liveness_readiness", "GET /health/live answers alive and /health/ready answers ready", CheckBudget.Quick, ReadinessAsync),
        new(Name, "discovery", "GET /api/discovery/services names the backend, auth and websocket (path /ws, a ws:// or wss:// url)", CheckBudget.Quick, DiscoveryAsync),
        new(Name, "discovered_socket_connects", "The websocket url that discovery advertises accepts the token and sends the welcome", CheckBudget.Quick, DiscoveredSocketAsync),
        new(Name, "public_config", "GET /api/config/public, /ws/config and /ws/health answer with their documents", CheckBudget.Quick, PublicConfigAsync),
        new(Name, "unknown_route_problem", "An unknown API route is a 404 problem+json (NOT_FOUND), not HTML or a redirect", CheckBudget.Quick, UnknownRouteAsync),
    ]);

    private static async Task HealthAsync(CheckContext ctx)
    {
        foreach (var path in new[] { "/health", "/health/", "/api/health" })
        {
            var response = await ctx.SendAsync(HttpMethod.Get, path);
            var body = RequireJson(response, 200);
            Require(body.Text("status") == "healthy" && body.Text("service") == "meridian", DiagnosisKind.ContractViolation,
                $"GET {path} answered {Diagnoser.Shorten(body.GetRawText(), 200)}, not {{status: healthy, service: meridian}}");
            ctx.RequireWithin(response.Elapsed, ctx.Settings.LatencyThreshold, $"GET {path}");
        }
    }

    private static async Task ReadinessAsync(CheckContext ctx)
    {
        var live = await ctx.GetJsonAsync("/health/live");
        Require(live.Text("status") == "alive", DiagnosisKind.ContractViolation, $"GET /health/live answered {live}");
        var ready = await ctx.GetJsonAsync("/health/ready");
        Require(ready.Text("status") == "ready", DiagnosisKind.ContractViolation, $"GET /health/ready answered {ready}");
    }

    /// <summary>The discovery document, required to name the three services.</summary>
    public static async Task<JsonElement> DiscoveryDocumentAsync(CheckContext ctx)
    {
        var body = await ctx.GetJsonAsync("/api/discovery/services");
        var ws = body.Path("services.websocket.url") is { ValueKind: JsonValueKind.String } u ? u.GetString()! : "";
        Require(body.Path("services.backend.url") is { ValueKind: JsonValueKind.String }
                && body.Path("services.auth.url") is { ValueKind: JsonValueKind.String }
                && body.Path("services.websocket.path")?.GetString() == "/ws"
                && (ws.StartsWith("ws://", StringComparison.Ordinal) || ws.StartsWith("wss://", StringComparison.Ordinal))
                && body.Flag("available") == true,
            DiagnosisKind.ContractViolation, "the discovery document does not match the contract", Diagnoser.Shorten(body.GetRawText()));
        return body;
    }

    private static async Task DiscoveryAsync(CheckContext ctx)
    {
        var body = await DiscoveryDocumentAsync(ctx);
        ctx.Note($"websocket: {body.Path("services.websocket.url")}");
    }

    private static async Task DiscoveredSocketAsync(CheckContext ctx)
    {
        var url = new Uri((await DiscoveryDocumentAsync(ctx)).Path("services.websocket.url")!.Value.GetString()!);
        var socket = await ctx.ConnectAsync(await ctx.UserAsync(), uri: url);
        await ctx.PingAsync(socket);
        ctx.Note($"connected to {url}");
    }

    private static async Task PublicConfigAsync(CheckContext ctx)
    {
        var config = await ctx.GetJsonAsync("/api/config/public");
        Require(config.Text("environment") is not null && config.Text("version") is not null, DiagnosisKind.ContractViolation,
            $"GET /api/config/public lacks environment or version: {Diagnoser.Shorten(config.GetRawText(), 200)}");
        var ws = await ctx.GetJsonAsync("/ws/config");
        Require(ws.Path("limits.max_message_size") is { ValueKind: JsonValueKind.Number }, DiagnosisKind.ContractViolation,
            $"GET /ws/config has no limits.max_message_size: {Diagnoser.Shorten(ws.GetRawText(), 200)}");
        var health = await ctx.GetJsonAsync("/ws/health");
        Require(health.Text("status") == "healthy", DiagnosisKind.ContractViolation, $"GET /ws/health answered {health}");
        ctx.Note($"environment {config.Text("environment")}, version {config.Text("version")}, {health.Number("active_connections")} socket(s) open");
    }

    private static async Task UnknownRouteAsync(CheckContext ctx) =>
        RequireProblem(await ctx.SendAsync(HttpMethod.Get, "/api/meridian-validate-no-such-route"), 404, "NOT_FOUND");
}
