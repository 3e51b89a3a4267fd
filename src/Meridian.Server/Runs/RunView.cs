using System.Text.Json;
using Meridian.Server.Http;

namespace Meridian.Server.Runs;

/// <summary>A run's status, timings, failure and usage (<c>GET /api/runs/{id}</c>, a thread's run list, cancel).</summary>
public sealed record RunView(
    string RunId,
    string ThreadId,
    string Agent,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    long? DurationMs,
    RunError? Error,
    JsonElement? Usage)
{
    public static RunView From(RunRecord r) => new(
        r.Id,
        r.ThreadId,
        r.Agent,
        r.Status,
        Time.FromMs(r.CreatedAt),
        Time.FromMs(r.StartedAt),
        Time.FromMs(r.EndedAt),
        r is { StartedAt: { } s, EndedAt: { } e } ? e - s : null,
        RunError.Of(r),
        r.Usage is null ? null : JsonDocument.Parse(r.Usage).RootElement);
}
