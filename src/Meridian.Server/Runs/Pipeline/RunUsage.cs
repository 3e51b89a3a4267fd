namespace Meridian.Server.Runs;

/// <summary>Token usage and cost of a run's language-model calls.</summary>
public sealed record RunUsage(int LlmCalls, long InputTokens, long OutputTokens, decimal CostUsd)
{
    public static readonly RunUsage None = new(0, 0, 0, 0m);
}
