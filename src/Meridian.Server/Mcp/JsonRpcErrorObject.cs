namespace Meridian.Server.Mcp;

/// <summary>The <c>error</c> of a JSON-RPC response on <c>/mcp</c> (a JSON-RPC code and a message), as the OpenAPI
/// document describes it (JSON-RPC 2.0 calls it the error object; the SDK's own <c>JsonRpcError</c> is a whole error
/// response). The SDK writes the real one.</summary>
public sealed record JsonRpcErrorObject(int Code, string Message);
