namespace Meridian.Server.Runs;

/// <summary>Section <c>Runs</c>: how many runs execute at once and how long each may take.</summary>
public sealed class RunOptions
{
    public const string Section = "Runs";

    /// <summary>Runs executing at once on this node, all users together.</summary>
    public int MaxConcurrentRuns { get; set; } = 32;

    /// <summary>Runs of one user executing at once; further runs wait in order.</summary>
    public int MaxConcurrentRunsPerUser { get; set; } = 3;

    /// <summary>Runs of one user waiting beyond the concurrent ones; a message beyond this is refused with RATE_LIMITED.</summary>
    public int MaxQueuedRunsPerUser { get; set; } = 10;

    public int StageTimeoutSeconds { get; set; } = 30;

    public int RunTimeoutSeconds { get; set; } = 300;

    /// <summary>Retries of a stage that failed transiently (a timeout of a dependency, a 429/5xx from a provider).</summary>
    public int TransientRetries { get; set; } = 2;

    /// <summary>First retry delay; each further retry doubles it.</summary>
    public int RetryDelayMilliseconds { get; set; } = 250;

    /// <summary>How long an active run's lease lasts; its node renews it every third of this, and other nodes look for
    /// expired leases as often: a dead node's runs end within a lease and a third (docs/deploy.md#5-a-node-dies-a-node-drains).</summary>
    public int LeaseSeconds { get; set; } = 15;

    /// <summary>How long <c>POST /api/agents/execute</c> waits for the run before answering 202 with its id.</summary>
    public int ExecuteWaitSeconds { get; set; } = 120;

    /// <summary>Longest user message accepted, in characters.</summary>
    public int MaxInputLength { get; set; } = 20_000;
}
