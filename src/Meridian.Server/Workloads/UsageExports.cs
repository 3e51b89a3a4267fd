namespace Meridian.Server.Workloads;

/// <summary>The reader of each export format; null for Meridian's own CSV and JSON Lines.</summary>
internal static class UsageExports
{
    public static IUsageExport? For(ImportFormat format) => format switch
    {
        ImportFormat.LiteLlm => LiteLlmSpendLog.Instance,
        ImportFormat.Langfuse => LangfuseObservation.Instance,
        ImportFormat.OpenAiUsage => OpenAiUsageBucket.Instance,
        ImportFormat.AnthropicUsage => AnthropicUsageBucket.Instance,
        _ => null,
    };
}
