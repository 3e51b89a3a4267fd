using Meridian.Server.Workloads;

namespace Meridian.Server.Tools;

/// <summary><c>latency_profile</c>: latency percentiles overall and per model, error rate, and the hour-of-day
/// pattern (UTC) that sizes capacity and tells interactive traffic from batch. Everything counts calls: a record of
/// several calls weighs as many, at its mean latency.</summary>
public static class LatencyProfile
{
    public const string Name = "latency_profile";

    public static ToolResult<LatencyProfileData> Run(IReadOnlyList<UsageRecord> records)
    {
        if (records.Count == 0)
        {
            return new("No usage records to profile.", new LatencyProfileData(LatencyPercentiles.None, new Dictionary<string, LatencyPercentiles>(), 0, new long[24], 0, 0));
        }

        var all = new List<double>(records.Count);
        var allCalls = new List<long>(records.Count);
        var hours = new long[24];
        var perModel = new Dictionary<string, (List<double> Latencies, List<long> Calls)>(StringComparer.OrdinalIgnoreCase);
        long errors = 0, calls = 0;
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            calls += r.Requests;
            hours[r.Timestamp.UtcDateTime.Hour] += r.Requests;
            errors += r.IsError ? r.Requests : 0;
            if (!perModel.TryGetValue(r.Model, out var model))
            {
                perModel[r.Model] = model = ([], []);
            }

            // An unknown latency is left out of the percentiles, not counted as 0 ms (docs/workloads.md#12-unknown-latency).
            if (r.LatencyMs is { } latency)
            {
                all.Add(latency);
                allCalls.Add(r.Requests);
                model.Latencies.Add(latency);
                model.Calls.Add(r.Requests);
            }
        }

        var overall = LatencyPercentiles.Of([.. all], [.. allCalls]);
        var peak = Array.IndexOf(hours, hours.Max());
        var peakToAverage = Math.Round(hours[peak] / (calls / 24.0), 2);
        var data = new LatencyProfileData(
            overall,
            perModel.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => LatencyPercentiles.Of([.. p.Value.Latencies], [.. p.Value.Calls])),
            Figures.Round((double)errors / calls), hours, peak, peakToAverage);
        return new(
            $"Latency p50 {Figures.Ms(overall.P50Ms)}, p95 {Figures.Ms(overall.P95Ms)}, p99 {Figures.Ms(overall.P99Ms)}; error rate " +
            $"{Figures.Pct(data.ErrorRate)}. Busiest hour {peak:00}:00 UTC at {peakToAverage:0.##}× the hourly average.",
            data);
    }
}
