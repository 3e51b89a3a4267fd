namespace Meridian.Server.Agents.Triage;

/// <summary>A stated amount of money; <see cref="Period"/> is day, week, month, quarter or year (null: not said).</summary>
public sealed record MoneyAmount(decimal Amount, string? Period, string Text)
{
    /// <summary>The amount per 30-day month; an amount with no period is read as monthly (how bills are quoted).</summary>
    public decimal Monthly => Period switch
    {
        "day" => Amount * 30,
        "week" => Amount * 30 / 7m,
        "quarter" => Amount / 3,
        "year" => Amount / 12,
        _ => Amount,
    };
}
