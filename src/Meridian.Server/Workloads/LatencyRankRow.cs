namespace Meridian.Server.Workloads;

/// <summary>A row of the summary's percentile query: one model's latencies at the nearest ranks (Dapper maps to
/// settable properties).</summary>
internal sealed class LatencyRankRow
{
    public string Name { get; set; } = "";

    public string Provider { get; set; } = "";

    public double P50 { get; set; }

    public double P95 { get; set; }

    public double P99 { get; set; }
}
