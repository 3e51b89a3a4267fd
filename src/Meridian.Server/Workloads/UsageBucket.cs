using System.Text.Json;
using static Meridian.Server.Workloads.UsageField;

namespace Meridian.Server.Workloads;

/// <summary>A time bucket of a provider's usage export (OpenAI's and Anthropic's usage APIs): its results are the
/// usage of each model (and project, key, …) over the bucket, and each becomes one aggregated record
/// (docs/workloads.md#11-aggregated-records). These exports carry no cost and no latency: the cost comes from the
/// price catalog and the latency is unknown (docs/workloads.md#12-unknown-latency).</summary>
internal static class UsageBucket
{
    /// <summary>Starts a row for each result with the bucket's start, the provider, the model and status ok;
    /// <paramref name="fill"/> adds the rest, and returns false when it refused the row.</summary>
    public static void Read(ExportItem bucket, long line, RowIntake rows, string? start, string provider, Func<JsonElement, RowFields, bool> fill)
    {
        if (bucket["results"] is not { ValueKind: JsonValueKind.Array } results)
        {
            rows.Start();
            rows.Reject(line, "results", "is required: each bucket of a usage export lists its results (is the format right?)");
            return;
        }

        foreach (var result in results.EnumerateArray())
        {
            var row = rows.Start();
            if (result.ValueKind != JsonValueKind.Object || result.Field("model").Text() is not { Length: > 0 } model)
            {
                rows.Reject(line, "model", "is absent: export the usage grouped by model (group_by=model), so that each result names its model");
                continue;
            }

            row.Set(Timestamp, start);
            row.Set(Model, model);
            row.Set(Provider, provider);
            row.Set(Status, "ok");
            if (fill(result, row))
            {
                rows.Accept(line);
            }
        }
    }
}
