namespace Meridian.Client.Http;

public sealed record MessageInfo(string Id, string Role, string Content, string? CreatedAt, string? RunId);
