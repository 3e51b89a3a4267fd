namespace Meridian.Client.Http;

public sealed record ServiceUrl(string? Url, string? ApiUrl, string? WsUrl, string? Path);
