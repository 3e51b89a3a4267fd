namespace Meridian.Server.Agents.Triage;

public static class DataSufficiency
{
    public const string Sufficient = "sufficient";
    public const string Partial = "partial";
    public const string Insufficient = "insufficient";

    /// <summary>Sufficient with usage records, or with both spend and volume stated; partial with some figure to
    /// estimate from; insufficient with nothing to measure.</summary>
    public static string Judge(long records, Entities entities) =>
        records > 0 || (entities.MonthlySpend is not null && entities.MonthlyCalls is not null) ? Sufficient
        : entities.MonthlySpend is not null || entities.MonthlyCalls is not null || entities.Latencies.Count > 0 || entities.Models.Count > 0 ? Partial
        : Insufficient;
}
