namespace Meridian.Server.Health;

/// <summary>The WebSocket's URL and path (docs/protocol.md).</summary>
public sealed record WebSocketService(string Url, string Path);
