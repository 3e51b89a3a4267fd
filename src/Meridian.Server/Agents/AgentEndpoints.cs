using System.Text.Json;
using Meridian.Server.Auth;
using Meridian.Server.Errors;
using Meridian.Server.Http;
using Meridian.Server.Runs;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Agents;

/// <summary><c>/api/agents</c>: what the agents do, and running them over HTTP (wait for the answer, or 202).</summary>
public static class AgentEndpoints
{
    public static WebApplication MapAgents(this WebApplication app)
    {
        var group = app.MapGroup("/api/agents").WithTags("Agents").RequireAuthorization();
        group.MapGet("", () => TypedResults.Ok(new
        {
            agents = AgentCatalog.All.Select(a => new { name = a.Name, description = a.Description, aliases = a.Aliases }),
        }));
        group.MapPost("/execute", (HttpContext http, RunService runs, RunEventStore events, IOptions<RunOptions> options, JsonElement body, bool? wait, CancellationToken ct) =>
            ExecuteAsync(http, runs, events, options.Value, body, agent: null, wait ?? true, ct));
        group.MapPost("/{name}", (HttpContext http, RunService runs, RunEventStore events, IOptions<RunOptions> options, string name, JsonElement body, bool? wait, CancellationToken ct) =>
            AgentCatalog.Resolve(name) is null
                ? Task.FromResult<IResult>(Problems.Result(ErrorCodes.UnknownAgent, $"There is no agent named '{name}'."))
                : ExecuteAsync(http, runs, events, options.Value, body, name, wait ?? true, ct));
        return app;
    }

    private static async Task<IResult> ExecuteAsync(
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
            return TypedResults.Accepted($"/api/runs/{run.Id}", new { run_id = run.Id, thread_id = run.ThreadId, status = run.Status });
        }

        var terminal = await events.LastAsync(run.Id, ct);
        var final = terminal is null ? default : JsonDocument.Parse(terminal.Payload).RootElement;
        return TypedResults.Ok(new
        {
            run_id = run.Id,
            thread_id = run.ThreadId,
            status = run.Status,
            response = Field(final, "response"),
            result = Field(final, "result"),
            usage = Field(final, "usage"),
            error = run.ErrorCode is null ? null : new { error_code = run.ErrorCode, message = run.ErrorMessage },
        });
    }

    private static IResult Refusal(HttpContext http, StartRunResult refused)
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
