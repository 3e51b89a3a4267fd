namespace Meridian.Server.Mcp;

/// <summary>JSON-RPC 2.0 error codes MCP uses.</summary>
public static class JsonRpcErrors
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;
}
