using Meridian.Client.Events;
using Meridian.Validation.Checks;
using Meridian.Validation.Contract;
using static Meridian.Validation.Checks.CheckRequirements;

namespace Meridian.Validation.Modules;

/// <summary>The answer streams: deltas that add up to the response, an SSE stream of the same events, no long
/// silences, and a quick first event.</summary>
internal static class ResponseStreaming
{
    private const string Name = "response_streaming";

    public static ValidationModule Module { get; } = new(Name, "Streaming of the answer and of the run's progress", [
        new(Name, "deltas_build_response", "agent_response_delta events arrive before agent_completed and their deltas join to its response (up to trailing whitespace)", CheckBudget.Run, DeltasAsync),
        new(Name, "sse_stream", "GET /api/runs/{id}/events as text/event-stream gives the same events (id = seq) and ends after the terminal one", CheckBudget.Run, SseAsync),
        new(Name, "no_long_silence", "No gap between two events of a run is longer than the silence limit (server timestamps)", CheckBudget.Run, SilenceAsync),
        new(Name, "first_event_latency", "run_accepted and agent_started arrive within the latency threshold after the message is sent", CheckBudget.Run, FirstEventAsync),
    ]);

    private static async Task DeltasAsync(CheckContext ctx)
    {
        var run = await ctx.ReferenceRunAsync();
        var response = RequireCompleted(run).Response ?? "";
        var deltas = run.Events.OfType<AgentResponseDelta>().ToList();
        Require(deltas.Count > 0, DiagnosisKind.ContractViolation, $"{run.RunId} completed without any agent_response_delta: the answer did not stream");
        var joined = string.Concat(deltas.Select(d => d.Delta));
        // Trailing whitespace is not something a reader sees; every other character must match.
        Require(joined.TrimEnd() == response.TrimEnd(), DiagnosisKind.ContractViolation,
            $"the {deltas.Count} deltas join to {joined.Length} characters; agent_completed.response has {response.Length}",
            "deltas: " + Diagnoser.Shorten(joined, 200), "response: " + Diagnoser.Shorten(response, 200));
        ctx.Note($"{deltas.Count} deltas, {response.Length} characters");
    }

    private static async Task SseAsync(CheckContext ctx)
    {
        var run = await ctx.ReferenceRunAsync();
        var user = await ctx.UserAsync();
        var streamed = new List<RunEvent>();
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ctx.Cancellation);
        bound.CancelAfter(ctx.Settings.RunTimeout);
        try
        {
            await foreach (var e in user.Client.StreamRunEventsAsync(run.RunId, 0, bound.Token))
            {
                streamed.Add(e);
            }
        }
        catch (OperationCanceledException) when (!ctx.Cancellation.IsCancellationRequested)
        {
            throw new CheckFailedException(new Diagnosis(DiagnosisKind.EventTimeout,
                $"the SSE stream of the finished run {run.RunId} did not end within {ctx.Settings.RunTimeout.TotalSeconds:0.#} s after {streamed.Count} events",
                Diagnoser.Frames(streamed.TakeLast(5))));
        }

        var live = string.Join(",", run.Events.Select(e => $"{e.Seq}:{e.Type}"));
        var sse = string.Join(",", streamed.Select(e => $"{e.Seq}:{e.Type}"));
        Require(live == sse, DiagnosisKind.SeqViolation, $"the SSE stream of {run.RunId} differs from the socket's events", "socket: " + Diagnoser.Shorten(live), "sse:    " + Diagnoser.Shorten(sse));
        ctx.Note($"{streamed.Count} events over SSE");
    }

    private static async Task SilenceAsync(CheckContext ctx)
    {
        var run = await ctx.ReferenceRunAsync();
        var silence = RunContract.LongestSilence(run.Events);
        Require(silence is not null, DiagnosisKind.ContractViolation, $"{run.RunId} has events without a readable timestamp");
        var (gap, after) = silence!.Value;
        ctx.RequireWithin(gap, ctx.Settings.SilenceLimit, $"longest silence in {run.RunId}" + (after is null ? "" : $" (after seq {after.Seq} {after.Type})"));
    }

    private static async Task FirstEventAsync(CheckContext ctx)
    {
        var run = await ctx.ReferenceRunAsync();
        ctx.RequireWithin(run.Accepted.Received - run.SentAt, ctx.Settings.LatencyThreshold, "run_accepted after the message");
        ctx.RequireWithin(run.Events[0].Received - run.SentAt, ctx.Settings.LatencyThreshold, $"{run.Events[0].Type} after the message");
    }
}
