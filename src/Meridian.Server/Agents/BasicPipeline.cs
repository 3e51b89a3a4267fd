using System.Text.RegularExpressions;
using Meridian.Server.Runs;

namespace Meridian.Server.Agents;

/// <summary>The pipeline used until the analysis agents are installed: triage classifies the request and
/// reporting answers with what was understood. It exercises the whole run lifecycle (stages, progress,
/// streaming of the answer) without measuring anything.</summary>
public sealed partial class BasicPipeline : IRunPipeline
{
    private static readonly (string Category, string[] Words)[] Categories =
    [
        ("latency", ["latency", "slow", "p95", "p99", "seconds", "ms", "fast"]),
        ("capacity", ["traffic", "growth", "scale", "triple", "double", "next quarter", "capacity"]),
        ("caching", ["cache", "caching", "same prompt", "repeated"]),
        ("model_selection", ["cheaper model", "which model", "switch model", "downgrade"]),
        ("cost", ["cost", "spend", "bill", "$", "budget", "expensive", "save"]),
    ];

    public IReadOnlyList<string> Plan(string agent) => [AgentCatalog.Triage, AgentCatalog.Reporting];

    public async Task<PipelineResult> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var triage = await context.StageAsync(AgentCatalog.Triage, "Classifying the request", _ =>
        {
            var text = context.Input.ToLowerInvariant();
            var category = Categories.FirstOrDefault(c => c.Words.Any(text.Contains)).Category ?? "general";
            var amounts = Money().Matches(context.Input).Select(m => m.Value).ToList();
            return Task.FromResult(new StageResult<Triage>(new Triage(category, amounts), $"Category: {category}"));
        }, cancellationToken);

        var category = triage.Value?.Category ?? "general";
        var response = $"## Summary\n\nI read this as a **{category}** question" +
            (triage.Value is { Amounts.Count: > 0 } t ? $" mentioning {string.Join(", ", t.Amounts)}." : ".") +
            "\n\nThe analysis stages (data, optimization, actions) are not installed on this server, so no savings were computed.\n";
        await context.StageAsync(AgentCatalog.Reporting, "Writing the answer", async ct =>
        {
            foreach (var paragraph in response.Split("\n\n"))
            {
                await context.Emitter.DeltaAsync(AgentCatalog.Reporting, paragraph + "\n\n", ct);
            }

            return new StageResult<bool>(true, $"{response.Length} characters");
        }, cancellationToken);

        return new PipelineResult(response, new { triage = triage.Value }, RunUsage.None);
    }

    private sealed record Triage(string Category, IReadOnlyList<string> Amounts);

    [GeneratedRegex(@"\$\s?\d[\d,]*(\.\d+)?\s?[kKmM]?")]
    private static partial Regex Money();
}
