namespace Meridian.Server.Tools;

/// <summary><c>growth_projection</c>: the monthly bill over the horizon, growing to the stated multiplier (or at the
/// measured trend), with and without the combined savings.</summary>
public static class GrowthProjection
{
    public const string Name = "growth_projection";

    public static ToolResult<GrowthData> Run(Baseline baseline, Goals goals, double combinedSavingsPct)
    {
        var months = Math.Clamp(goals.HorizonMonths, 1, 24);
        (double multiplier, string basis) = goals.GrowthMultiplier is { } m and > 0
            ? (m, $"growing {m:0.##}× over {months} months as stated")
            : (Math.Pow(Math.Max(0, 1 + baseline.MonthlyGrowth), months), baseline.MonthlyGrowth == 0 ? "with no growth measured or stated" : $"at the measured trend of {Figures.Pct(baseline.MonthlyGrowth)} a month");
        var perMonth = Math.Pow(multiplier, 1.0 / months);
        var keep = (decimal)(1 - combinedSavingsPct);
        var projected = Enumerable.Range(1, months).Select(i =>
        {
            var factor = (decimal)Math.Pow(perMonth, i);
            return new ProjectedMonth(i, Figures.Round(baseline.MonthlyCostUsd * factor), Figures.Round(baseline.MonthlyCostUsd * factor * keep), Math.Round(baseline.MonthlyCalls * (double)factor));
        }).ToList();
        var last = projected[^1];
        var data = new GrowthData(Math.Round(multiplier, 2), basis, months, baseline.MonthlyCostUsd, last.CostUsd, last.CostWithSavingsUsd, projected);
        var summary = baseline.MonthlyCostUsd > 0
            ? $"{Capitalised(basis)}, the monthly bill goes from {Figures.Usd(baseline.MonthlyCostUsd)} to {Figures.Usd(last.CostUsd)} in month {months}, " +
              $"or {Figures.Usd(last.CostWithSavingsUsd)} with the recommended savings."
            : $"{Capitalised(basis)}, spend grows {multiplier:0.##}× in {months} months; with the recommended savings it grows {multiplier * (1 - combinedSavingsPct):0.##}×.";
        return new(summary, data);
    }

    private static string Capitalised(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
