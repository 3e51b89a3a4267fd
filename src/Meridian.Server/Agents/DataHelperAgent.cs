using Meridian.Server.Tools;

namespace Meridian.Server.Agents;

/// <summary>Data helper: when there is nothing to measure, says exactly which data to send, why each item matters
/// and how to export it. It checks the user's records first, so "you have none" is a measured fact.</summary>
public sealed class DataHelperAgent : IAgent
{
    public static readonly IReadOnlyList<DataRequest> Requests =
    [
        new("Usage records for the last 30 days (CSV or JSON Lines)",
            "Every saving is computed from them: cost by model and feature, latency percentiles, repeated prompts, trend.",
            "Export from your gateway or logging (or the provider's usage export) with columns timestamp, model, provider, input_tokens, output_tokens, latency_ms, cost_usd, status, feature, prompt_hash; import with POST /api/workloads/import."),
        new("A prompt_hash per call (a hash of the system prompt plus fixed context)",
            "Equal hashes show how much input repeats, which prices prompt and response caching.",
            "Hash the prompt template and static context (SHA-256 is fine) when logging each call; never send the prompt text."),
        new("The feature that made each call",
            "Savings differ by feature: offline work can use batch APIs, low-risk features can use cheaper models.",
            "Tag each call with the product feature (support_bot, summariser, search, ...) in the feature column."),
        new("Your monthly bill and call volume, if records are not available yet",
            "With spend and volume stated, savings can be estimated in dollars instead of shares of spend.",
            "Copy the totals from the provider's billing page, e.g. \"we spend <amount> a month on <number of> calls to <model>\"."),
        new("Latency targets per feature",
            "Targets decide which speed-ups matter and which cheaper models are acceptable.",
            "State them as percentiles, e.g. \"p95 under 1.5 s for chat, no target for nightly summaries\"."),
    ];

    public string Activity => "Working out which data would help";

    public async Task<string> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        await context.CallToolAsync(ToolCatalog.Usage, (context.Analysis.Records, null), cancellationToken);
        await context.ThinkingAsync("Nothing to measure yet: listing the data that would make the answer exact", cancellationToken);
        context.Analysis.DataRequests = Requests;
        return $"{Requests.Count} data requests";
    }
}
