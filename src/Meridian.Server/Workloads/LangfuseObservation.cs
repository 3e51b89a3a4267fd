using System.Text.Json;
using static Meridian.Server.Workloads.UsageField;

namespace Meridian.Server.Workloads;

/// <summary>An observation of Langfuse's public API (<c>GET /api/public/observations</c>) or of an export of
/// observations. Only a <c>GENERATION</c> is a model call; spans and events are counted as ignored
/// (docs/workloads.md#52-langfuse-observations).</summary>
internal sealed class LangfuseObservation : IUsageExport
{
    public static readonly LangfuseObservation Instance = new();

    public bool Pages => false;

    public IReadOnlyDictionary<UsageField, string> FieldNames { get; } = new Dictionary<UsageField, string>
    {
        [Timestamp] = "startTime",
        [InputTokens] = "usageDetails",
        [OutputTokens] = "usageDetails",
        [CachedInputTokens] = "usageDetails",
        [LatencyMs] = "endTime",
        [CostUsd] = "costDetails",
        [Feature] = "name",
        [Status] = "level",
    };

    public void Read(ExportItem item, long line, RowIntake rows)
    {
        var row = rows.Start();
        if (item["type"].Text() is not { } type)
        {
            rows.Reject(line, "type", "is required: every Langfuse observation has a type (is the format right?)");
            return;
        }

        if (!type.Equals("GENERATION", StringComparison.OrdinalIgnoreCase))
        {
            rows.Ignore();
            return;
        }

        if (!Tokens(item, line, rows, out var input, out var output, out var cached))
        {
            return;
        }

        row.Set(Timestamp, item["startTime"]);
        row.Set(Model, item["model"]);
        row.Set(InputTokens, input);
        row.Set(OutputTokens, output);
        row.Set(CachedInputTokens, cached);
        row.Set(CostUsd, item["costDetails"].Field("total") ?? item["calculatedTotalCost"] ?? item["totalPrice"]);
        row.Set(Status, string.Equals(item["level"].Text(), "ERROR", StringComparison.OrdinalIgnoreCase) ? "error" : "ok");
        row.Set(Feature, item["traceName"].Text() ?? item["name"].Text());
        if (rows.TrySetLatency(line, item["startTime"], item["endTime"], "endTime"))
        {
            rows.Accept(line);
        }
    }

    /// <summary>Langfuse counts each kind of token once in <c>usageDetails</c> (its total is their sum): input is every
    /// key but <c>total</c> and those of output (<c>input</c>, <c>input_cached_tokens</c>,
    /// <c>cache_read_input_tokens</c>, <c>cache_creation_input_tokens</c>, <c>input_audio</c>, …), output every key
    /// starting with <c>output</c>, cached input the keys of cache reads. Without details, <c>usage.input</c> and
    /// <c>usage.output</c>.</summary>
    private static bool Tokens(ExportItem item, long line, RowIntake rows, out long input, out long output, out long cached)
    {
        input = output = cached = 0;
        if (item["usageDetails"] is not { ValueKind: JsonValueKind.Object } details || !details.EnumerateObject().Any())
        {
            var usage = item["usage"];
            return rows.TryAdd(line, "usage.input", usage.Field("input"), ref input) && rows.TryAdd(line, "usage.output", usage.Field("output"), ref output);
        }

        foreach (var detail in details.EnumerateObject())
        {
            var key = detail.Name;
            var ok = key.Equals("total", StringComparison.OrdinalIgnoreCase)
                || (key.StartsWith("output", StringComparison.OrdinalIgnoreCase)
                    ? rows.TryAdd(line, "usageDetails." + key, detail.Value, ref output)
                    : rows.TryAdd(line, "usageDetails." + key, detail.Value, ref input)
                      && (!IsCacheRead(key) || rows.TryAdd(line, "usageDetails." + key, detail.Value, ref cached)));
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsCacheRead(string key) =>
        key.Contains("cache_read", StringComparison.OrdinalIgnoreCase) || key.Contains("cached", StringComparison.OrdinalIgnoreCase);
}
