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

/// <summary>One check of a module: exercises the live deployment and throws <see cref="CheckFailedException"/>
/// (or any exception, which is diagnosed) when the deployment does not behave.</summary>
public sealed record Check(string Module, string Name, string Description, CheckBudget Budget, Func<CheckContext, Task> Run)
{
    public string Id => $"{Module}.{Name}";

    public TimeSpan Timeout(ValidationSettings settings)
    {
        var own = Budget switch
        {
            CheckBudget.Quick => settings.EventTimeout * 2,
            CheckBudget.Run => settings.RunTimeout + (settings.EventTimeout * 2),
            _ => (settings.RunTimeout * 2) + (settings.EventTimeout * 2),
        };
        return own < settings.CheckTimeout ? own : settings.CheckTimeout;
    }
}

/// <summary>A named group of checks (one of the ten suites).</summary>
public sealed record ValidationModule(string Name, string Description, IReadOnlyList<Check> Checks);
