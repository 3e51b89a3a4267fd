namespace Meridian.Server.Mcp;

/// <summary>How a client authenticates on <c>/mcp</c>: a bearer token in a header, and where to get one.</summary>
public sealed record McpAuth(string Type, string Header, string TokenFrom)
{
    public static readonly McpAuth Bearer = new("bearer", "Authorization", "POST /auth/login (access_token)");
}
