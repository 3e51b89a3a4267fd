using System.Text.Json;
using Meridian.Server.Auth;
using Meridian.Server.Errors;
using Meridian.Server.Http;
using Meridian.Server.Runs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using RunAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<Meridian.Server.Agents.AgentRunResult>,
    Microsoft.AspNetCore.Http.HttpResults.Accepted<Meridian.Server.Agents.AgentRunAccepted>,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Meridian.Server.Agents;

/// <summary><c>/api/agents</c>: what the agents do, and running them over HTTP (wait for the answer, or 202).</summary>
public static class AgentEndpoints
{
    public static WebApplication MapAgents(this WebApplication app)
    {
        var group = app.MapGroup("/api/agents").WithTags("Agents").RequireAuthorization().ProducesProblems(ErrorCodes.Unauthorized);
        group.MapGet("", () => TypedResults.Ok(new AgentList(AgentCatalog.All)));
        group.MapPost("/execute", (HttpContext http, RunService runs, RunEventStore events, IOptions<RunOptions> options, JsonElement body, bool? wait, CancellationToken ct) =>
            ExecuteAsync(http, runs, events, options.Value, body, agent: null, wait ?? true, ct)).ProducesRunRefusals();
        group.MapPost("/{name}", (HttpContext http, RunService runs, RunEventStore events, IOptions<RunOptions> options, string name, JsonElement body, bool? wait, CancellationToken ct) =>
            AgentCatalog.Resolve(name) is null
                ? Task.FromResult<RunAnswer>(Problems.Result(ErrorCodes.UnknownAgent, $"There is no agent named '{name}'."))
                : ExecuteAsync(http, runs, events, options.Value, body, name, wait ?? true, ct)).ProducesRunRefusals();
        return app;
    }

    /// <summary>A malformed body, and every refusal of starting a run (<see cref="RunService.StartAsync"/>).</summary>
    private static RouteHandlerBuilder ProducesRunRefusals(this RouteHandlerBuilder route) => route.ProducesProblems(
        ErrorCodes.ValidationFailed, ErrorCodes.ThreadAccessDenied, ErrorCodes.UnknownAgent, ErrorCodes.RateLimited, ErrorCodes.Draining);

    private static async Task<RunAnswer> ExecuteAsync(
        HttpContext http, RunService runs, RunEventStore events, RunOptions options, JsonElement body, string? agent, bool wait, CancellationToken ct)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Problems.Validation("message", "The body must be a JSON object with a \"message\".");
        }

        // A field of the wrong kind is refused, not read as absent: a thread id of 5 must not mean "the latest thread".
        if (JsonFields.MessageFields.FirstOrDefault(f => !JsonFields.TryOptionalText(body, f, out _)) is { } mistyped)
        {
            return Problems.Validation(mistyped, $"{mistyped} must be a string.");
        }

        if (!JsonFields.TryOptionalText(body, "agent", out var named))
        {
            return Problems.Validation("agent", "agent must be a string naming an agent (GET /api/agents).");
        }

        if (!JsonFields.TryOptionalText(body, "thread_id", out var threadId))
        {
            return Problems.Result(ErrorCodes.InvalidThreadId, "thread_id must be a string of 1–128 letters, digits, '_' or '-'.",
                new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["thread_id"] = ["must be a string"] } });
        }

        var message = JsonFields.MessageText(body);
        var started = await runs.StartAsync(http.UserId(), new StartRunRequest(message, agent ?? named, threadId), ct);
        if (!started.Accepted)
        {
            return Refusal(http, started);
        }

        var run = (await runs.GetAsync(http.UserId(), started.RunId!, ct))!;
        if (wait)
        {
            run = await runs.WaitAsync(run, TimeSpan.FromSeconds(options.ExecuteWaitSeconds), ct) ?? run;
        }

        if (!wait || RunStatus.IsActive(run.Status))
        {
            return TypedResults.Accepted($"/api/runs/{run.Id}", new AgentRunAccepted(run.Id, run.ThreadId, run.Status));
        }

        var terminal = await events.LastAsync(run.Id, ct);
        var final = terminal is null ? default : JsonDocument.Parse(terminal.Payload).RootElement;
        return TypedResults.Ok(new AgentRunResult(
            run.Id, run.ThreadId, run.Status, Field(final, "response"), Field(final, "result"), Field(final, "usage"), RunError.Of(run)));
    }

    private static ProblemHttpResult Refusal(HttpContext http, StartRunResult refused)
    {
        if (refused.RetryAfterMs is { } ms)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(ms / 1000.0)).ToString();
        }

        return Problems.Result(refused.Error!, refused.Message!);
    }

    private static JsonElement? Field(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : null;
}
