using System.Text;
using Meridian.Server.Agents.Triage;
using Meridian.Server.Tools;

namespace Meridian.Server.Agents;

/// <summary>The built-in engine's report (docs/agents.md): summary with the headline saving, key findings, numbered
/// recommendations, a projected-impact table and next steps. Every figure is copied from a tool result of the run,
/// written with the same <see cref="Figures"/> formatting, so a reader can find it in the run's events.</summary>
public static class ReportWriter
{
    public static string Write(Analysis analysis)
    {
        var report = new StringBuilder();
        var savings = analysis.Optimization?.Savings;
        var growth = analysis.Optimization?.Growth;
        var measured = analysis.Data?.Measured == true;

        report.AppendLine("## Summary").AppendLine();
        if (analysis.Triage.Category == RequestClassifier.General && analysis.Triage.Entities.MonthlySpend is null && !measured)
        {
            report.AppendLine("Hello! I help teams cut the cost and latency of their AI usage. Here is what the usual changes save, priced from the catalog; send your usage for figures of your own.").AppendLine();
        }

        report.AppendLine(Headline(analysis, savings, growth)).AppendLine();
        if (!measured)
        {
            report.AppendLine(analysis.Data is null
                ? "No usage data was available, so the figures below are shares of spend priced from the catalog, not measurements."
                : "These figures are estimates from what you told me, not measurements of your usage.").AppendLine();
        }

        report.AppendLine("## Key findings").AppendLine();
        foreach (var finding in Findings(analysis))
        {
            report.Append("- ").AppendLine(finding);
        }

        report.AppendLine().AppendLine("## Recommendations").AppendLine();
        var recommended = Recommended(savings);
        if (recommended.Count == 0)
        {
            report.AppendLine("1) Send usage records so the strategies can be priced (see Next steps); saving: not computed.");
        }

        foreach (var (strategy, i) in recommended.Select((s, i) => (s, i)))
        {
            var saving = strategy.SavingsPct > 0 ? $"saves {SavingsEstimate.Saving(strategy)}" : "saves no money directly";
            report.AppendLine($"{i + 1}) **{strategy.Name}**: {saving}; quality risk {strategy.QualityRisk}, complexity {strategy.Complexity}; latency: {strategy.LatencyEffect}. Basis: {strategy.Basis}.");
        }

        if (savings is not null)
        {
            report.AppendLine().AppendLine("## Projected impact").AppendLine();
            report.AppendLine("| | Before | After |").AppendLine("|---|---|---|");
            report.AppendLine(savings.MonthlyCostUsd > 0
                ? $"| Monthly cost | {Figures.Usd(savings.MonthlyCostUsd)} | {Figures.Usd(savings.MonthlyCostAfterUsd)} |"
                : $"| Share of current spend | 100% | {Figures.Pct(1 - savings.CombinedSavingsPct)} |");
            if (savings.P95LatencyMs > 0)
            {
                report.AppendLine($"| p95 latency | {Figures.Ms(savings.P95LatencyMs)} | {Figures.Ms(savings.P95LatencyAfterMs)} |");
            }

            if (growth is not null && growth.MonthlyCostNowUsd > 0)
            {
                report.AppendLine($"| Monthly cost in month {growth.HorizonMonths} | {Figures.Usd(growth.MonthlyCostAtHorizonUsd)} | {Figures.Usd(growth.MonthlyCostAtHorizonWithSavingsUsd)} |");
            }
        }

        report.AppendLine().AppendLine("## Next steps").AppendLine();
        var steps = analysis.Actions?.Steps ?? [];
        foreach (var step in steps.Take(5))
        {
            report.AppendLine($"{step.Order}. {step.Action} ({step.OwnerRole}, {step.Effort}). Check: {step.Validation}.");
        }

        if (!measured)
        {
            if (steps.Count == 0)
            {
                report.AppendLine("1. Send the data below, then ask again.");
            }

            var assumptions = analysis.Data?.Assumptions ?? analysis.Optimization?.Savings.Assumptions ?? [];
            if (assumptions.Count > 0)
            {
                report.AppendLine().AppendLine("### What I assumed").AppendLine();
                foreach (var assumption in assumptions)
                {
                    report.Append("- ").AppendLine(assumption);
                }
            }

            report.AppendLine().AppendLine("### What to send next").AppendLine();
            foreach (var request in analysis.DataRequests ?? DataHelperAgent.Requests)
            {
                report.AppendLine($"- **{request.Item}**: {request.Why} {request.How}");
            }
        }

        if (analysis.FailedStages.Count > 0)
        {
            report.AppendLine().AppendLine($"_Not included because the stage failed: {string.Join(", ", analysis.FailedStages)}._");
        }

        if (analysis.Optimization?.Prices is { } prices)
        {
            report.AppendLine().AppendLine($"_Priced with the price catalog of {prices.CatalogDate} ({prices.CatalogSource})._");
        }

        report.AppendLine().Append("_Written by the built-in engine from this run's tool results._");
        return report.ToString();
    }

    private static string Headline(Analysis analysis, SavingsData? savings, GrowthData? growth)
    {
        if (savings is null)
        {
            return "I could not price any strategy for this request; the findings below are what was measured.";
        }

        var text = new StringBuilder(savings.MonthlyCostUsd > 0
            ? $"**You can save about {Figures.Usd(savings.CombinedMonthlySavingsUsd)} a month ({Figures.Pct(savings.CombinedSavingsPct)}) of {Figures.Usd(savings.MonthlyCostUsd)}.**"
            : $"**The recommended changes together save about {Figures.Pct(savings.CombinedSavingsPct)} of spend.**");
        if (analysis.Goals.TargetSavingsPct is { } target)
        {
            text.Append(savings.CombinedSavingsPct >= target
                ? $" That meets the {Figures.Pct(target)} you asked for."
                : $" That is short of the {Figures.Pct(target)} you asked for: reaching it needs routing more traffic to cheaper models than assumed here.");
        }

        if (savings.P95LatencyMs > 0 && savings.P95LatencyAfterMs < savings.P95LatencyMs)
        {
            text.Append($" p95 latency drops from {Figures.Ms(savings.P95LatencyMs)} to about {Figures.Ms(savings.P95LatencyAfterMs)}");
            text.Append(analysis.Goals.TargetP95Ms is { } t ? (savings.P95LatencyAfterMs <= t ? $", within your {Figures.Ms(t)} target." : $", still above your {Figures.Ms(t)} target.") : ".");
        }

        if (growth is not null && growth.MonthlyCostNowUsd > 0)
        {
            text.Append($" {char.ToUpperInvariant(growth.Basis[0])}{growth.Basis[1..]}, the bill reaches {Figures.Usd(growth.MonthlyCostAtHorizonUsd)} a month, or {Figures.Usd(growth.MonthlyCostAtHorizonWithSavingsUsd)} with these changes.");
        }

        return text.ToString();
    }

    private static IEnumerable<string> Findings(Analysis analysis)
    {
        var findings = new List<string>();
        findings.AddRange(analysis.Data?.Findings ?? []);
        findings.AddRange((analysis.Optimization?.Findings ?? []).Except(findings));
        if (findings.Count == 0)
        {
            findings.Add("Nothing could be measured for this request.");
        }

        return findings;
    }

    private static List<Strategy> Recommended(SavingsData? savings) =>
        savings?.Strategies.Where(s => s.SavingsPct > 0 || s.Type is "latency" or "capacity").Take(6).ToList() ?? [];
}
