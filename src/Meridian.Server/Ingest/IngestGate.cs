using Microsoft.Extensions.Options;

namespace Meridian.Server.Ingest;

/// <summary>Bounds the exports a node reads and stores at once (<see cref="IngestOptions.MaxConcurrentExports"/>):
/// beyond it an exporter is told to come back later rather than queued, so a burst cannot pile up bodies in memory.</summary>
public sealed class IngestGate(IOptions<IngestOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentExports);

    public bool TryEnter() => _slots.Wait(0);

    public void Exit() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}
