using System.Text.Json;

namespace Meridian.Client.Http;

public sealed record RunInfo(
    string RunId, string ThreadId, string? Agent, string Status, string? CreatedAt, string? StartedAt, string? EndedAt,
    long? DurationMs, RunError? Error, JsonElement? Usage);
