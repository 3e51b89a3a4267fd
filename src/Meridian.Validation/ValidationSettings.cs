namespace Meridian.Validation;

/// <summary>What to validate and how patiently. Every wait in every check is bounded by these.</summary>
public sealed record ValidationSettings
{
    public required Uri Target { get; init; }

    public required Credentials Credentials { get; init; }

    /// <summary>Module names to run; empty means all.</summary>
    public IReadOnlyList<string> Modules { get; init; } = [];

    /// <summary>The most any one check may take; the waits below are capped by it.</summary>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Wait for one answer (an HTTP response, a direct reply frame, the welcome).</summary>
    public TimeSpan EventTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Wait for a run's terminal event after its message was accepted.</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Above this, a latency check fails: the welcome after the upgrade, the first event after a message,
    /// a health answer.</summary>
    public TimeSpan LatencyThreshold { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest silence allowed between two events of a run (the contract says 2 s; server timestamps).</summary>
    public TimeSpan SilenceLimit { get; init; } = TimeSpan.FromSeconds(2.5);

    /// <summary>Count skipped checks as passing.</summary>
    public bool AllowSkip { get; init; }

    /// <summary>Makes the test users of this run distinct from earlier runs' (so rate limits of a previous run
    /// against the same server do not carry over).</summary>
    public string RunId { get; init; } = Guid.NewGuid().ToString("N")[..8];

    /// <summary>The settings with every wait capped by <see cref="CheckTimeout"/>.</summary>
    public ValidationSettings Capped() => this with
    {
        EventTimeout = Min(EventTimeout, CheckTimeout),
        RunTimeout = Min(RunTimeout, CheckTimeout),
    };

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
