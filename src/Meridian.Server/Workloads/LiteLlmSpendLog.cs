using System.Text.Json;
using static Meridian.Server.Workloads.UsageField;

namespace Meridian.Server.Workloads;

/// <summary>A row of LiteLLM proxy's <c>LiteLLM_SpendLogs</c>, as its <c>/spend/logs</c> API returns it or as a CSV
/// export of the table: one call (docs/workloads.md#51-litellm-spend-logs).</summary>
internal sealed class LiteLlmSpendLog : IUsageExport
{
    public static readonly LiteLlmSpendLog Instance = new();

    private const string CachedPath = "metadata.usage_object.prompt_tokens_details.cached_tokens";

    public bool Pages => false;

    public IReadOnlyDictionary<UsageField, string> FieldNames { get; } = new Dictionary<UsageField, string>
    {
        [Timestamp] = "startTime",
        [Provider] = "custom_llm_provider",
        [InputTokens] = "prompt_tokens",
        [OutputTokens] = "completion_tokens",
        [LatencyMs] = "endTime",
        [CostUsd] = "spend",
        [UsageField.Feature] = "request_tags",
        [CachedInputTokens] = CachedPath,
    };

    public IReadOnlyList<string> RequiredColumns { get; } = ["startTime", "model"];

    public void Read(ExportItem item, long line, RowIntake rows)
    {
        var row = rows.Start();
        row.Set(Timestamp, item["startTime"]);
        row.Set(Model, NonEmpty(item["model"]) ?? item["model_group"]);
        row.Set(Provider, NonEmpty(item["custom_llm_provider"]));
        row.Set(InputTokens, item["prompt_tokens"]);
        row.Set(OutputTokens, item["completion_tokens"]);
        row.Set(CachedInputTokens, Cached(item["metadata"]));
        row.Set(CostUsd, item["spend"]);
        row.Set(UsageField.Feature, Feature(item));
        switch (item["status"].Text()?.ToLowerInvariant())
        {
            case null or "" or "success":
                row.Set(Status, "ok");
                break;
            case "failure":
                row.Set(Status, "error");
                break;
            default:
                rows.Reject(line, "status", "must be success or failure");
                return;
        }

        if (rows.TrySetLatency(line, item["startTime"], item["endTime"], "endTime"))
        {
            rows.Accept(line);
        }
    }

    /// <summary>Cache reads as LiteLLM records them in the metadata: the provider's usage object (OpenAI's
    /// <c>prompt_tokens_details.cached_tokens</c>, Anthropic's <c>cache_read_input_tokens</c>), or the additional
    /// usage values of providers whose usage LiteLLM does not map.</summary>
    private static JsonElement? Cached(JsonElement? metadata)
    {
        foreach (var usage in (ReadOnlySpan<string>)["usage_object", "additional_usage_values"])
        {
            if ((metadata.Field(usage, "prompt_tokens_details", "cached_tokens") ?? metadata.Field(usage, "cache_read_input_tokens")) is { } cached)
            {
                return cached;
            }
        }

        return null;
    }

    /// <summary>The feature: a request tag <c>feature:NAME</c> (or <c>feature=NAME</c>), else the team's alias, else
    /// the team id; none of them gives the default feature.</summary>
    private static string? Feature(ExportItem item)
    {
        if (item["request_tags"] is { ValueKind: JsonValueKind.Array } tags)
        {
            foreach (var tag in tags.EnumerateArray())
            {
                if (tag.ValueKind == JsonValueKind.String && tag.GetString() is { Length: > 8 } text
                    && text.StartsWith("feature", StringComparison.OrdinalIgnoreCase) && text[7] is ':' or '=')
                {
                    return text[8..].Trim();
                }
            }
        }

        return NonEmpty(item["metadata"].Field("user_api_key_team_alias")).Text() ?? NonEmpty(item["team_id"]).Text();
    }

    private static JsonElement? NonEmpty(JsonElement? value) => value.Text() is { Length: > 0 } ? value : null;
}
