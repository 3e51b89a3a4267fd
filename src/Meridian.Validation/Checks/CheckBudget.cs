namespace Meridian.Validation.Checks;

/// <summary>How long a check may take, relative to the configured waits.</summary>
public enum CheckBudget
{
    /// <summary>A few requests or frames: two event waits.</summary>
    Quick,

    /// <summary>One run to its end, plus a few waits.</summary>
    Run,

    /// <summary>Several runs, or one run plus a reconnect.</summary>
    Runs,
}
