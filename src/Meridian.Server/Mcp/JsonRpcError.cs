namespace Meridian.Server.Mcp;

/// <summary>The <c>error</c> of a JSON-RPC response: a code of <see cref="JsonRpcErrors"/> and a message.</summary>
public sealed record JsonRpcError(int Code, string Message);
