namespace Meridian.Server.Workloads;

/// <summary>A row of the summary queries (Dapper maps to settable properties).</summary>
internal sealed class SummaryRow
{
    public string Name { get; set; } = "";

    public string? Provider { get; set; }

    public long Records { get; set; }

    public long Requests { get; set; }

    public double CostUsd { get; set; }

    public long InputTokens { get; set; }

    public long CachedInputTokens { get; set; }

    public long OutputTokens { get; set; }

    public long Errors { get; set; }

    public double AvgLatencyMs { get; set; }

    public long? FirstMs { get; set; }

    public long? LastMs { get; set; }

    /// <summary>The UTC day number (days since 1970-01-01) of a <c>by_day</c> row.</summary>
    public long DayNumber { get; set; }

    public UsageGroup Group(double totalCost, LatencyRankRow? ranks) => new(
        Name, Provider, Records, Requests, UsageSummary.Dollars(CostUsd), totalCost > 0 ? Math.Round(CostUsd / totalCost, 6) : 0,
        InputTokens, CachedInputTokens, OutputTokens, Errors, UsageSummary.Rate(Errors, Requests), Math.Round(AvgLatencyMs, 1),
        Ms(ranks?.P50), Ms(ranks?.P95), Ms(ranks?.P99));

    public UsageDay Day() => new(UsageDay.DateOf(DayNumber), Name, Provider!, Records, Requests, UsageSummary.Dollars(CostUsd), Errors);

    // Rounded as latency_profile rounds its percentiles (LatencyPercentiles.Of).
    private static double? Ms(double? value) => value is { } ms ? Math.Round(ms, 1) : null;
}
