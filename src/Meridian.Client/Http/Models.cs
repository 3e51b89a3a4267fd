using System.Text.Json;

namespace Meridian.Client.Http;

// The REST answers of docs/http-api.md, docs/auth.md and docs/runs.md (snake_case on the wire).

public sealed record UserProfile(string Id, string? Email, string? Name, IReadOnlyList<string>? Permissions, string? CreatedAt);

public sealed record TokenAnswer(
    string AccessToken, string? RefreshToken, string? TokenType, int ExpiresIn, int? RefreshExpiresIn, UserProfile User);

public sealed record HealthStatus(string Status, string? Service, string? Version, double? UptimeSeconds, string? Phase);

public sealed record ServiceUrl(string? Url, string? ApiUrl, string? WsUrl, string? Path);

public sealed record DiscoveryServices(ServiceUrl? Backend, ServiceUrl? Auth, ServiceUrl? Websocket);

public sealed record Discovery(DiscoveryServices? Services, string? Timestamp, bool Available);

public sealed record ThreadInfo(string Id, string? Title, bool Archived, string? CreatedAt, string? UpdatedAt);

public sealed record ThreadList(IReadOnlyList<ThreadInfo> Threads, int Total, int Limit, int Offset);

public sealed record MessageInfo(string Id, string Role, string Content, string? CreatedAt, string? RunId);

public sealed record MessagePage(IReadOnlyList<MessageInfo> Messages, string ThreadId, int Total, int Limit, int Offset);

public sealed record RunError(string? ErrorCode, string? Message);

public sealed record RunInfo(
    string RunId, string ThreadId, string? Agent, string Status, string? CreatedAt, string? StartedAt, string? EndedAt,
    long? DurationMs, RunError? Error, JsonElement? Usage);

/// <summary>The answer of <c>POST /api/agents/execute</c>: 200 with the outcome, or 202 (still running) with only
/// the ids and status.</summary>
public sealed record ExecuteResult(
    string RunId, string ThreadId, string Status, string? Response, JsonElement? Result, JsonElement? Usage, RunError? Error);

public sealed record RunEventsPage(string RunId, string Status, IReadOnlyList<JsonElement> Events, long LastSeq, bool Complete);

public sealed record AgentInfo(string Name, string? Description, IReadOnlyList<string>? Aliases);

public sealed record AgentList(IReadOnlyList<AgentInfo> Agents);
