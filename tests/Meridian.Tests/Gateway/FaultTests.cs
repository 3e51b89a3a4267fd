using System.Net.WebSockets;
using Meridian.Server.Gateway;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Meridian.Tests.Gateway;

/// <summary>A fault the gateway did not anticipate, outside the handling of any one frame: the client is told
/// (<c>INTERNAL_ERROR</c>) before the socket is closed with 1011, never cut without a word.</summary>
public sealed class FaultTests
{
    [Fact]
    public async Task A_fault_while_attaching_a_socket_is_answered_with_INTERNAL_ERROR_then_1011()
    {
        // The welcome cannot be built: attaching the user fails after the upgrade.
        await using var server = await GatewayHarness.StartAsync(services: s =>
            s.AddSingleton(sp => new Welcome(sp.GetRequiredService<IHostEnvironment>(), new BrokenOptions())));
        await using var client = await WsClient.ConnectAsync(server.BaseAddress, bearer: GatewayHarness.Token("alice"));

        var error = await client.ExpectTypeAsync("error");
        var status = await client.ExpectCloseAsync();

        error.GetProperty("error_code").GetString().ShouldBe("INTERNAL_ERROR");
        status.ShouldBe(WebSocketCloseStatus.InternalServerError);
    }

    private sealed class BrokenOptions : IOptions<GatewayOptions>
    {
        public GatewayOptions Value => throw new InvalidOperationException("broken on purpose");
    }
}
