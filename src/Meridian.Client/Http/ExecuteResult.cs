using System.Text.Json;

namespace Meridian.Client.Http;

/// <summary>The answer of <c>POST /api/agents/execute</c>: 200 with the outcome, or 202 (still running) with only
/// the ids and status.</summary>
public sealed record ExecuteResult(
    string RunId, string ThreadId, string Status, string? Response, JsonElement? Result, JsonElement? Usage, RunError? Error);
