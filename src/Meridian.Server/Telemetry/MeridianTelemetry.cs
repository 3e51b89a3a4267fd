using System.Diagnostics;

namespace Meridian.Server.Telemetry;

/// <summary>The server's one <see cref="ActivitySource"/>, the names of its spans' attributes, and how its spans
/// start (docs/operations.md#7-traces). While no tracer listens (no OTLP endpoint configured) every start returns
/// null before building a name or a tag: instrumented code then costs a check and a null.</summary>
public static class MeridianTelemetry
{
    public const string SourceName = "Meridian.Server";

    public const string RunId = "meridian.run.id";

    public const string Agent = "meridian.agent";

    public const string Stage = "meridian.stage";

    public const string Outcome = "meridian.outcome";

    public const string ConnectionId = "meridian.ws.connection_id";

    public static readonly ActivitySource Source = new(SourceName, typeof(MeridianTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>The span of a run: the root of a trace of its own, linked to the span that was current when the run
    /// was accepted (the socket's connection span, or the HTTP request's), which flows here with the execution
    /// context. A run outlives the request that started it and a connection may carry hundreds of runs, so the run
    /// is not their child (docs/operations.md#7-traces).</summary>
    public static Activity? StartRun(string runId, string agent)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var origin = Activity.Current;
        Activity.Current = null;
        ActivityLink[]? links = origin is null ? null : [new ActivityLink(origin.Context)];
        var span = Source.StartActivity(ActivityKind.Internal, parentContext: default, links: links, name: "run " + agent);
        span?.SetTag(RunId, runId).SetTag(Agent, agent);
        return span;
    }

    /// <summary>A span inside the current one (a run's stage, tool call or model call), carrying the run id of its
    /// parent. None is made outside a recorded parent: the parts of a run the sampler left out stay out.</summary>
    public static Activity? StartChild(string operation, string target, ActivityKind kind = ActivityKind.Internal)
    {
        if (Activity.Current is not { Recorded: true } parent || !Source.HasListeners())
        {
            return null;
        }

        var span = Source.StartActivity(operation + " " + target, kind);
        span?.SetTag(RunId, parent.GetTagItem(RunId));
        return span;
    }

    /// <summary>Marks a span failed with a reason (a stage or tool that failed, a model call that fell back).</summary>
    public static void Fail(this Activity? span, string reason) => span?.SetStatus(ActivityStatusCode.Error, reason);
}
