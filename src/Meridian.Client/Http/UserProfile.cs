namespace Meridian.Client.Http;

// The REST answers of docs/http-api.md, docs/auth.md and docs/runs.md (snake_case on the wire).

public sealed record UserProfile(string Id, string? Email, string? Name, IReadOnlyList<string>? Permissions, string? CreatedAt);
