using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;
using ModelContextProtocol.Client;

namespace Meridian.Tests.Mcp;

/// <summary>A server for MCP tests (the auth tests' key, so their tokens pass) and the official client connected to
/// its <c>/mcp</c> over streamable HTTP with a Bearer token.</summary>
internal static class McpHarness
{
    public static Task<ServerHarness> StartAsync() =>
        ServerHarness.StartAsync(settings: new Dictionary<string, string?> { ["Auth:JwtSecret"] = AuthHarness.Secret });

    /// <summary>The client, or the failure to connect (a null token sends no Authorization header).</summary>
    public static Task<McpClient> ConnectAsync(ServerHarness server, string? token) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(server.BaseAddress, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = token is null ? null : new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
        }), cancellationToken: TestContext.Current.CancellationToken);
}
