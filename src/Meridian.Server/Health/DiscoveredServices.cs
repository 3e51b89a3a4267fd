namespace Meridian.Server.Health;

/// <summary>The REST API, the auth routes and the WebSocket, under the public base URL.</summary>
public sealed record DiscoveredServices(BackendService Backend, AuthService Auth, WebSocketService Websocket);
