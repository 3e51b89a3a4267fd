using Meridian.Server.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Meridian.Server.Hosting;

/// <summary>Prints where the server listens once Kestrel has bound its addresses.</summary>
internal sealed class ListeningBanner(IServer server, IHostApplicationLifetime lifetime, IHostEnvironment env) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            foreach (var address in addresses)
            {
                Console.WriteLine($"Meridian ({env.EnvironmentName}) listening on {address}  (UI: {address}/  API docs: {address}/docs)");
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
