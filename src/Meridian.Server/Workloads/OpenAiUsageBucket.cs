using System.Globalization;
using System.Text.Json;
using static Meridian.Server.Workloads.UsageField;

namespace Meridian.Server.Workloads;

/// <summary>A bucket of OpenAI's completions usage export (<c>GET /v1/organization/usage/completions</c>): each result
/// is the usage of <c>num_model_requests</c> calls (docs/workloads.md#53-openai-usage-export).</summary>
internal sealed class OpenAiUsageBucket : IUsageExport
{
    public static readonly OpenAiUsageBucket Instance = new();

    /// <summary>9999-12-31T23:59:59Z, the last second a timestamp can name.</summary>
    private const long MaxUnixSeconds = 253_402_300_799;

    public bool Pages => true;

    public IReadOnlyDictionary<UsageField, string> FieldNames { get; } = new Dictionary<UsageField, string>
    {
        [Timestamp] = "start_time",
        [CachedInputTokens] = "input_cached_tokens",
        [Requests] = "num_model_requests",
        [Feature] = "project_id",
        [CostUsd] = "model",
    };

    public void Read(ExportItem item, long line, RowIntake rows)
    {
        string? start = null;
        if (item["start_time"] is JsonElement time)
        {
            if (!((JsonElement?)time).TryCount(out var seconds) || seconds > MaxUnixSeconds)
            {
                rows.Start();
                rows.Reject(line, "start_time", "must be a Unix time in seconds");
                return;
            }

            start = DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }

        UsageBucket.Read(item, line, rows, start, "openai", (result, row) =>
        {
            // input_tokens counts every input token, cached and audio ones included; output_tokens every output token.
            row.Set(InputTokens, result.Field("input_tokens"));
            row.Set(OutputTokens, result.Field("output_tokens"));
            row.Set(CachedInputTokens, result.Field("input_cached_tokens"));
            row.Set(Requests, result.Field("num_model_requests"));
            row.Set(Feature, result.Field("project_id"));
            if (result.Field("num_model_requests").Text() == "0")
            {
                // A result of no calls (OpenAI lists groups with no traffic): nothing happened, nothing to record.
                rows.Ignore();
                return false;
            }

            return true;
        });
    }
}
