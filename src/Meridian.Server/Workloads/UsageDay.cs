namespace Meridian.Server.Workloads;

/// <summary>One model's records on one UTC day (the summary's <c>by_day</c>, docs/workloads.md); errors count calls.</summary>
public sealed record UsageDay(DateOnly Date, string Model, string Provider, long Records, long Requests, decimal CostUsd, long Errors)
{
    private static readonly int EpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    /// <summary>The day <paramref name="day"/> days after 1970-01-01 (negative before it).</summary>
    internal static DateOnly DateOf(long day) => DateOnly.FromDayNumber(checked((int)(EpochDayNumber + day)));
}
