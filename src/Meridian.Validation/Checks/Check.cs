namespace Meridian.Validation.Checks;

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
