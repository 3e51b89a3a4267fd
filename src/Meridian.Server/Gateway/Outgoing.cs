using System.Net.WebSockets;

namespace Meridian.Server.Gateway;

/// <summary>A queued frame (a struct: a run event delivered to many sockets costs no allocation per socket).</summary>
internal readonly record struct Outgoing(byte[] Frame, string Type, WebSocketCloseStatus? Close, string? Reason);
