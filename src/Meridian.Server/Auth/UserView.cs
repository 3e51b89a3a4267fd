namespace Meridian.Server.Auth;

/// <summary>A user as answered by <c>/auth/me</c> and in token responses.</summary>
public sealed record UserView(string Id, string? Email, string Name, IReadOnlyList<string> Permissions, DateTimeOffset CreatedAt);
