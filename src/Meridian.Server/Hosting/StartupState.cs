namespace Meridian.Server.Hosting;

/// <summary>Where the process is in its life: the named startup phases, then ready, then draining.</summary>
public sealed class StartupState(TimeProvider clock)
{
    public const string Config = "config";
    public const string Storage = "storage";
    public const string Migrations = "migrations";
    public const string Services = "services";
    public const string Ready = "ready";

    private readonly long _startedAt = clock.GetTimestamp();
    private volatile string _phase = Config;
    private volatile bool _draining;
    private volatile string? _lastError;

    public string Phase => _phase;

    /// <summary>Startup has completed (it stays true while draining).</summary>
    public bool IsStarted => _phase == Ready;

    public bool IsDraining => _draining;

    /// <summary>Accepting new work: started and not draining.</summary>
    public bool IsAcceptingWork => IsStarted && !_draining;

    /// <summary>Why the current phase has not completed yet, if it failed at least once.</summary>
    public string? LastError => _lastError;

    public double UptimeSeconds => clock.GetElapsedTime(_startedAt).TotalSeconds;

    internal void Enter(string phase)
    {
        _lastError = null;
        _phase = phase;
    }

    internal void Fail(string error) => _lastError = error;

    internal void BeginDrain() => _draining = true;
}
