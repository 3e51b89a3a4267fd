using System.Diagnostics.Metrics;
using Meridian.Server.Gateway;
using Microsoft.Extensions.Options;

namespace Meridian.Tests.Gateway;

/// <summary>The accept pacer asks for a gen0 collection at an accept once its budget has been allocated since the
/// last collection, and never below the budget or when turned off. A collection the runtime makes on its own between
/// two accepts only moves the pacer's starting point, so the tests that expect a paced collection try a few times.</summary>
public sealed class AcceptPacerTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void An_accept_after_the_budget_was_allocated_collects_gen0()
    {
        var pacer = Pacer(budget: 256 * 1024);
        for (var attempt = 0; attempt < 20 && pacer.Collections == 0; attempt++)
        {
            pacer.Accepted();
            var before = GC.CollectionCount(0);
            GC.KeepAlive(Allocate(1024 * 1024));
            pacer.Accepted();
            if (pacer.Collections > 0)
            {
                GC.CollectionCount(0).ShouldBeGreaterThan(before);
            }
        }

        pacer.Collections.ShouldBe(1);
    }

    [Fact]
    public void Accepts_below_the_budget_leave_collections_to_the_runtime()
    {
        var pacer = Pacer(budget: 256 * 1024 * 1024);
        for (var i = 0; i < 10; i++)
        {
            pacer.Accepted();
            GC.KeepAlive(Allocate(1024 * 1024));
        }

        pacer.Collections.ShouldBe(0);
    }

    [Fact]
    public void A_zero_budget_turns_pacing_off()
    {
        var pacer = Pacer(budget: 0);
        for (var i = 0; i < 10; i++)
        {
            pacer.Accepted();
            GC.KeepAlive(Allocate(1024 * 1024));
        }

        pacer.Collections.ShouldBe(0);
    }

    [Fact]
    public async Task The_gateway_paces_collections_as_it_accepts_sockets()
    {
        await using var server = await GatewayHarness.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:AcceptGen0BudgetBytes"] = "1" });
        var pacer = server.Service<AcceptPacer>();
        var clients = new List<WsClient>();
        for (var i = 0; i < 20 && pacer.Collections == 0; i++)
        {
            var client = await WsClient.ConnectAsync(server.BaseAddress, GatewayHarness.Token($"pacer_{i}"));
            clients.Add(client);
            (await client.ReceiveAsync())!.Value.GetProperty("data").GetProperty("event").GetString().ShouldBe("connection_established");
        }

        pacer.Collections.ShouldBeGreaterThan(0);
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    private AcceptPacer Pacer(long budget) => new(
        Options.Create(new GatewayOptions { AcceptGen0BudgetBytes = budget }),
        new GatewayMetrics(_services.GetRequiredService<IMeterFactory>(), new ConnectionRegistry()));

    private static byte[][] Allocate(int bytes) => Enumerable.Range(0, bytes / 4096).Select(_ => new byte[4096]).ToArray();
}
