namespace Meridian.Server.Hosting;

/// <summary>Work that must finish before the node reports ready, run once in its phase
/// (<see cref="StartupState.Storage"/>, <see cref="StartupState.Migrations"/> or <see cref="StartupState.Services"/>).
/// A task that throws is retried with backoff; the node stays "starting" meanwhile.</summary>
public interface IStartupTask
{
    string Phase { get; }

    Task RunAsync(CancellationToken cancellationToken);
}
