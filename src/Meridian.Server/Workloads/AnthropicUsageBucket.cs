using static Meridian.Server.Workloads.UsageField;

namespace Meridian.Server.Workloads;

/// <summary>A bucket of Anthropic's messages usage report (<c>GET /v1/organizations/usage_report/messages</c>): each
/// result is one model's (and workspace's, key's, …) usage over the bucket. The report does not count calls, so a
/// result is one record of one request (docs/workloads.md#54-anthropic-usage-export).</summary>
internal sealed class AnthropicUsageBucket : IUsageExport
{
    public static readonly AnthropicUsageBucket Instance = new();

    public bool Pages => true;

    public IReadOnlyDictionary<UsageField, string> FieldNames { get; } = new Dictionary<UsageField, string>
    {
        [Timestamp] = "starting_at",
        [InputTokens] = "uncached_input_tokens",
        [CachedInputTokens] = "cache_read_input_tokens",
        [Feature] = "workspace_id",
        [CostUsd] = "model",
    };

    public void Read(ExportItem item, long line, RowIntake rows) =>
        UsageBucket.Read(item, line, rows, item["starting_at"].Text(), "anthropic", (result, row) =>
        {
            // Input counts every input token, as OpenAI's does: uncached, written to the cache, read from it.
            long input = 0, cached = 0;
            if (!rows.TryAdd(line, "uncached_input_tokens", result.Field("uncached_input_tokens"), ref input)
                || !rows.TryAdd(line, "cache_creation.ephemeral_1h_input_tokens", result.Field("cache_creation", "ephemeral_1h_input_tokens"), ref input)
                || !rows.TryAdd(line, "cache_creation.ephemeral_5m_input_tokens", result.Field("cache_creation", "ephemeral_5m_input_tokens"), ref input)
                || !rows.TryAdd(line, "cache_read_input_tokens", result.Field("cache_read_input_tokens"), ref cached))
            {
                return false;
            }

            row.Set(InputTokens, input + cached);
            row.Set(CachedInputTokens, cached);
            row.Set(OutputTokens, result.Field("output_tokens"));
            row.Set(Feature, result.Field("workspace_id"));
            return true;
        });
}
