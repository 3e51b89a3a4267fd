using System.Text.Json;
using Meridian.Server.Auth;
using Meridian.Server.Errors;
using Meridian.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Meridian.Server.Runs;

/// <summary><c>/api/runs/{id}</c>: status, events (JSON or Server-Sent Events) and cancel. Owner only: another
/// user's run is a 404.</summary>
public static class RunEndpoints
{
    /// <summary>An event stream with nothing to send for this long ends (the client resumes with Last-Event-ID).</summary>
    public static readonly TimeSpan SseIdleLimit = TimeSpan.FromSeconds(60);

    private const string EventStream = "text/event-stream";

    private static readonly TimeSpan SseKeepAlive = TimeSpan.FromSeconds(15);

    public static WebApplication MapRuns(this WebApplication app)
    {
        var group = app.MapGroup("/api/runs").WithTags("Runs").RequireAuthorization().ProducesProblems(ErrorCodes.Unauthorized, ErrorCodes.NotFound);
        group.MapGet("/{runId}", Get);
        // One route, two bodies: JSON by default, Server-Sent Events for Accept: text/event-stream (docs/runs.md).
        group.MapGet("/{runId}/events", Events).AddOpenApiOperationTransformer(DeclareEventStream)
            .ProducesProblems(ErrorCodes.ValidationFailed);
        group.MapPost("/{runId}/cancel", Cancel).ProducesProblems(ErrorCodes.RunNotActive);
        return app;
    }

    private static async Task<Results<Ok<RunView>, ProblemHttpResult>> Get(HttpContext http, RunService runs, string runId, CancellationToken ct) =>
        await runs.GetAsync(http.UserId(), runId, ct) is { } run ? TypedResults.Ok(RunView.From(run)) : NotFound(runId);

    private static async Task<Results<Ok<RunView>, ProblemHttpResult>> Cancel(HttpContext http, RunService runs, string runId, CancellationToken ct)
    {
        if (await runs.GetAsync(http.UserId(), runId, ct) is not { } run)
        {
            return NotFound(runId);
        }

        if (!RunStatus.IsActive(run.Status) || !await runs.StopAsync(http.UserId(), runId, "cancelled by the user"))
        {
            var now = await runs.GetAsync(http.UserId(), runId, ct);
            return Problems.Result(ErrorCodes.RunNotActive, $"Run {runId} is {now?.Status ?? run.Status}; only queued or running runs can be cancelled.");
        }

        return TypedResults.Ok(RunView.From((await runs.GetAsync(http.UserId(), runId, ct))!));
    }

    private static async Task<Results<Ok<RunEventsView>, EmptyHttpResult, ProblemHttpResult>> Events(HttpContext http, RunService runs, RunEventStore store, string runId, long? after_seq, CancellationToken ct)
    {
        if (after_seq is < 0)
        {
            return Problems.Validation("after_seq", "after_seq must not be negative.");
        }

        if (await runs.GetAsync(http.UserId(), runId, ct) is not { } run)
        {
            return NotFound(runId);
        }

        var afterSeq = after_seq ?? 0;
        if (http.Request.Headers.Accept.ToString().Contains(EventStream, StringComparison.OrdinalIgnoreCase))
        {
            if (long.TryParse(http.Request.Headers["Last-Event-ID"], out var lastEventId) && lastEventId > afterSeq)
            {
                afterSeq = lastEventId;
            }

            await StreamAsync(http, runs, run, afterSeq, ct);
            return TypedResults.Empty;
        }

        var stored = await store.ReadAsync(runId, afterSeq, 10_000, ct);
        var events = stored.Select(e => JsonDocument.Parse(e.Payload).RootElement).ToList();
        return TypedResults.Ok(new RunEventsView(
            runId,
            run.Status,
            events,
            stored.Count > 0 ? stored[^1].Seq : afterSeq,
            stored.Count > 0 && RunEventTypes.IsTerminal(stored[^1].Type)));
    }

    /// <summary>SSE: <c>id:</c> is the seq and <c>event:</c> the type; the stream ends after the terminal event,
    /// or after <see cref="SseIdleLimit"/> without one (comments keep proxies from closing it meanwhile).</summary>
    private static async Task StreamAsync(HttpContext http, RunService runs, RunRecord run, long afterSeq, CancellationToken ct)
    {
        using var sse = new SseStream(http.Response);
        await sse.StartAsync(ct);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        idle.CancelAfter(SseIdleLimit);
        var keepAlive = KeepAliveAsync(sse, idle.Token);
        try
        {
            await foreach (var e in runs.EventsAsync(run, afterSeq, idle.Token))
            {
                idle.CancelAfter(SseIdleLimit);
                await sse.EventAsync(e.Seq, e.Type, e.Json, ct);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Idle limit reached: the stream ends; the client resumes with Last-Event-ID.
        }
        finally
        {
            await idle.CancelAsync();
            await keepAlive;
        }
    }

    private static async Task KeepAliveAsync(SseStream sse, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(SseKeepAlive, ct);
                await sse.CommentAsync("keep-alive", ct);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The stream ended, or the client went away.
        }
    }

    /// <summary>Adds the event stream to the JSON body <c>Ok&lt;RunEventsView&gt;</c> declares for 200: one status
    /// holds one declared type, so the second content type is added to the document directly.</summary>
    private static Task DeclareEventStream(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (operation.Responses?.GetValueOrDefault("200")?.Content is { } content)
        {
            content[EventStream] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        }

        return Task.CompletedTask;
    }

    private static ProblemHttpResult NotFound(string runId) => Problems.NotFound($"No run '{runId}'.");
}
