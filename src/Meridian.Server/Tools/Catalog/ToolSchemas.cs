using System.Text.Json.Nodes;

namespace Meridian.Server.Tools;

/// <summary>The pieces the tools' JSON Schemas share: selection arguments narrow the caller's records; stated figures
/// stand in for records when there are none.</summary>
internal static class ToolSchemas
{
    public static readonly JsonObject Selection = new()
    {
        ["last_days"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["description"] = "only the last N days before the newest record" },
        ["model"] = new JsonObject { ["type"] = "string", ["description"] = "only this model" },
        ["feature"] = new JsonObject { ["type"] = "string", ["description"] = "only this product feature" },
    };

    public static readonly JsonObject Stated = new()
    {
        ["monthly_cost_usd"] = new JsonObject { ["type"] = "number", ["minimum"] = 0, ["description"] = "stated monthly spend, used when there are no records" },
        ["models"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" }, ["description"] = "models in use, when there are no records" },
        ["p95_latency_ms"] = new JsonObject { ["type"] = "number", ["minimum"] = 0 },
        ["target_p95_ms"] = new JsonObject { ["type"] = "number", ["minimum"] = 0 },
    };

    public static readonly JsonObject Models = new() { ["models"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } } };

    public static readonly JsonObject Growth = new()
    {
        ["growth_multiplier"] = new JsonObject { ["type"] = "number", ["exclusiveMinimum"] = 0 },
        ["horizon_months"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 24 },
    };

    /// <summary>An object schema with exactly these properties.</summary>
    public static JsonObject Schema(params JsonObject[] parts)
    {
        var properties = new JsonObject();
        foreach (var part in parts)
        {
            foreach (var (key, value) in part)
            {
                properties[key] = value?.DeepClone();
            }
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["additionalProperties"] = false,
        };
    }
}
