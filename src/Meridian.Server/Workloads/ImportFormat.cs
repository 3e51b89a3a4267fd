using System.Text.Json.Serialization;

namespace Meridian.Server.Workloads;

/// <summary>The formats <c>POST /api/workloads/import</c> reads (docs/workloads.md#22-import); each is named in the
/// answer as its <c>?format=</c> value.</summary>
public enum ImportFormat
{
    Csv,
    Jsonl,
    [JsonStringEnumMemberName("litellm")]
    LiteLlm,
    [JsonStringEnumMemberName("langfuse")]
    Langfuse,
    [JsonStringEnumMemberName("openai-usage")]
    OpenAiUsage,
    [JsonStringEnumMemberName("anthropic-usage")]
    AnthropicUsage,
}
