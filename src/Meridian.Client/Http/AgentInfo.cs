namespace Meridian.Client.Http;

public sealed record AgentInfo(string Name, string? Description, IReadOnlyList<string>? Aliases);
