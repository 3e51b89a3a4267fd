using System.Text.Json;
using Meridian.Client;

namespace Meridian.Validation.Contract;

/// <summary>The welcome frame of docs/protocol.md#2-the-welcome-frame, compared field by field with what arrived. The result is a diff:
/// for each field that differs, a <c>-</c> line with what the contract wants and a <c>+</c> line with what came.
/// Extra fields are allowed.</summary>
public static class WelcomeContract
{
    private sealed record Rule(string Path, string Wants, Func<JsonElement, bool> Holds);

    public static IReadOnlyList<string> Diff(JsonElement frame, string? expectedUserId)
    {
        var rules = new List<Rule>
        {
            new("type", "\"system_message\"", v => v.ValueKind == JsonValueKind.String && v.GetString() == "system_message"),
            new("timestamp", "an ISO-8601 UTC timestamp with milliseconds", v => RunContract.IsTimestamp(Text(v))),
            new("data", "an object", v => v.ValueKind == JsonValueKind.Object),
            new("data.event", "\"connection_established\"", v => Text(v) == "connection_established"),
            new("data.connection_id", "a string starting \"ws_\"", v => Text(v)?.StartsWith("ws_", StringComparison.Ordinal) == true),
            new("data.user_id", expectedUserId is null ? "a string" : $"\"{expectedUserId}\" (the token's sub)", v => Text(v) is { } s && (expectedUserId is null || s == expectedUserId)),
            new("data.server_time", "an ISO-8601 UTC timestamp with milliseconds", v => RunContract.IsTimestamp(Text(v))),
            new("data.connection_ready", "true", v => v.ValueKind == JsonValueKind.True),
            new("data.environment", "a string", v => v.ValueKind == JsonValueKind.String),
            new("data.startup_complete", "true", v => v.ValueKind == JsonValueKind.True),
            new("data.protocol_version", "1", v => v.ValueKind == JsonValueKind.Number && v.GetRawText() == "1"),
            new("data.config.heartbeat_interval", "a positive number of seconds", v => v.ValueKind == JsonValueKind.Number && v.GetDouble() > 0),
            new("data.config.max_message_size", "a positive number of bytes", v => v.ValueKind == JsonValueKind.Number && v.GetDouble() > 0),
        };

        var diff = new List<string>();
        foreach (var rule in rules)
        {
            var actual = frame.ValueKind == JsonValueKind.Object ? frame.Path(rule.Path) : null;
            if (actual is { } value && rule.Holds(value))
            {
                continue;
            }

            diff.Add($"- {rule.Path}: {rule.Wants}");
            diff.Add($"+ {rule.Path}: {(actual is { } a ? Shorten(a.GetRawText()) : "(missing)")}");
        }

        return diff;
    }

    private static string? Text(JsonElement v) => v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..117] + "...";
}
