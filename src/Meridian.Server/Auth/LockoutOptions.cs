namespace Meridian.Server.Auth;

/// <summary>Section <c>Auth:Lockout</c>: how failed logins are slowed down and then refused. Failures are counted
/// per submitted email (whether or not the account exists) and per client address, in the database, so every node
/// sharing it agrees.</summary>
public sealed class LockoutOptions
{
    /// <summary>Failures for one email within <see cref="WindowSeconds"/> that lock it.</summary>
    public int MaxFailuresPerAccount { get; set; } = 5;

    /// <summary>Failures from one client address within <see cref="WindowSeconds"/> that lock it (any emails).</summary>
    public int MaxFailuresPerAddress { get; set; } = 20;

    /// <summary>How long failures are remembered, counted from the first failure of a window.</summary>
    public int WindowSeconds { get; set; } = 900;

    /// <summary>How long a locked email or address is answered 429.</summary>
    public int LockoutSeconds { get; set; } = 900;

    /// <summary>Failures (per email or address) answered at full speed before failed answers are delayed.</summary>
    public int SlowdownAfterFailures { get; set; } = 2;

    /// <summary>Delay added to a failed answer per failure beyond <see cref="SlowdownAfterFailures"/>.</summary>
    public int SlowdownStepMilliseconds { get; set; } = 500;

    /// <summary>The longest delay added to one failed answer.</summary>
    public int MaxSlowdownMilliseconds { get; set; } = 3000;
}
