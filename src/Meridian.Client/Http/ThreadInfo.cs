namespace Meridian.Client.Http;

public sealed record ThreadInfo(string Id, string? Title, bool Archived, string? CreatedAt, string? UpdatedAt);
