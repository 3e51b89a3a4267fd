using System.Diagnostics.Metrics;

namespace Meridian.Server.Runs;

/// <summary>Runs by status, queue depth and wait, stage and run durations, events per run, event-log commits.</summary>
public sealed class RunMetrics
{
    private readonly Counter<long> _ended;
    private readonly Histogram<double> _queueWait;
    private readonly Histogram<double> _stageDuration;
    private readonly Histogram<double> _runDuration;
    private readonly Histogram<long> _eventsPerRun;

    public RunMetrics(IMeterFactory meters, RunScheduler scheduler, ActiveRuns active, RunEventWriter log)
    {
        var meter = meters.Create("Meridian.Runs");
        _ended = meter.CreateCounter<long>("meridian.runs.ended", description: "Runs that ended, by final status.");
        _queueWait = meter.CreateHistogram<double>("meridian.runs.queue_wait", "s", "Time from acceptance to the start of execution.");
        _stageDuration = meter.CreateHistogram<double>("meridian.runs.stage_duration", "s", "Duration of pipeline stages, by stage and outcome.");
        _runDuration = meter.CreateHistogram<double>("meridian.runs.duration", "s", "Duration of runs from start to terminal event.");
        _eventsPerRun = meter.CreateHistogram<long>("meridian.runs.events", description: "Events written per run.");
        meter.CreateObservableGauge("meridian.runs.queued", () => scheduler.Waiting, description: "Runs accepted on this node and waiting for their turn (SQLite; on PostgreSQL they wait in the cluster queue).");
        meter.CreateObservableGauge("meridian.runs.active", () => active.Count, description: "Runs held by this node, waiting or executing.");
        meter.CreateObservableCounter("meridian.runs.log_commits", () => log.Commits, description: "Transactions that stored run events (events stored / commits = events per group commit).");
        meter.CreateObservableCounter("meridian.runs.log_events", () => log.EventsStored, description: "Run events stored by this node.");
    }

    public void Ended(string status, double seconds, long events)
    {
        _ended.Add(1, new KeyValuePair<string, object?>("status", status));
        _runDuration.Record(seconds, new KeyValuePair<string, object?>("status", status));
        _eventsPerRun.Record(events);
    }

    public void Waited(double seconds) => _queueWait.Record(seconds);

    public void Stage(string stage, string outcome, double seconds) =>
        _stageDuration.Record(seconds, new KeyValuePair<string, object?>("stage", stage), new KeyValuePair<string, object?>("outcome", outcome));
}
