namespace Meridian.Server.Workloads;

/// <summary>One feature of a synthetic product: its share of calls, models, token shapes and how often its prompts
/// repeat exactly (drawn from a pool of popular prompts, the most popular most often).</summary>
internal sealed record FeatureProfile(
    string Name, double Share, ModelChoice[] Models, TokenShape Input, TokenShape Output, double RepeatShare, int PromptPool);
