using System.Text.Json;
using Meridian.Server.Errors;
using Meridian.Server.Http;

namespace Meridian.Server.Runs;

/// <summary>The fields each event type adds after the envelope (<c>type</c>, <c>timestamp</c>, <c>run_id</c>,
/// <c>thread_id</c>, <c>seq</c>, <c>agent_name</c>), in the order docs/runs.md#2-events lists them. Written straight
/// into the emitter's buffer: nothing here allocates beyond what serializing a caller's object does.</summary>
internal static class RunEventFields
{
    /// <summary>Opens the event object and writes the envelope every event starts with.</summary>
    public static void Envelope(Utf8JsonWriter w, string type, DateTimeOffset now, RunIdentity run, long seq, string agent)
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        w.WriteString("timestamp", UtcTimestampConverter.ToText(now));
        w.WriteString("run_id", run.RunId);
        w.WriteString("thread_id", run.ThreadId);
        w.WriteNumber("seq", seq);
        w.WriteString("agent_name", agent);
    }

    public static void Started(Utf8JsonWriter w, string message, IReadOnlyList<string> agents)
    {
        w.WriteString("message", message);
        w.WriteStartArray("agents");
        foreach (var agent in agents)
        {
            w.WriteStringValue(agent);
        }

        w.WriteEndArray();
    }

    public static void Thinking(Utf8JsonWriter w, string reasoning, int step, int totalSteps)
    {
        w.WriteString("reasoning", reasoning);
        w.WriteNumber("step", Math.Max(step, 1));
        w.WriteNumber("total_steps", Math.Max(totalSteps, 1));
    }

    public static void ToolExecuting(Utf8JsonWriter w, string toolName, string callId, object? parameters)
    {
        w.WriteString("tool_name", toolName);
        w.WriteString("call_id", callId);
        w.WritePropertyName("parameters");
        JsonSerializer.Serialize(w, parameters ?? new { }, Json.Options);
    }

    public static void ToolCompleted(Utf8JsonWriter w, OpenTool tool, bool success, string summary, object? data, long durationMs)
    {
        w.WriteString("tool_name", tool.Name);
        w.WriteString("call_id", tool.CallId);
        w.WriteString("status", success ? "success" : "error");
        w.WriteString("result", summary);
        if (data is not null)
        {
            w.WritePropertyName("data");
            JsonSerializer.Serialize(w, data, Json.Options);
        }

        w.WriteNumber("duration_ms", durationMs);
    }

    public static void StageCompleted(Utf8JsonWriter w, string status, string summary, long durationMs)
    {
        w.WriteString("status", status);
        w.WriteString("summary", summary);
        w.WriteNumber("duration_ms", durationMs);
    }

    public static void Completed(Utf8JsonWriter w, string response, object result, RunUsage usage, long durationMs)
    {
        w.WriteString("response", response);
        w.WritePropertyName("result");
        JsonSerializer.Serialize(w, result, Json.Options);
        w.WritePropertyName("usage");
        JsonSerializer.Serialize(w, usage, Json.Options);
        w.WriteNumber("duration_ms", durationMs);
    }

    public static void Failed(Utf8JsonWriter w, ErrorCode errorCode, string message, bool recoverable)
    {
        w.WriteString("error_code", errorCode.Code);
        w.WriteString("message", message);
        w.WriteBoolean("recoverable", recoverable);
    }
}
