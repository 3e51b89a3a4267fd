namespace Meridian.Server.Health;

/// <summary>The server's base URL, its REST API and its WebSocket.</summary>
public sealed record BackendService(string Url, string ApiUrl, string WsUrl);
