namespace Meridian.Validation.Checks;

/// <summary>A named group of checks (one of the ten suites).</summary>
public sealed record ValidationModule(string Name, string Description, IReadOnlyList<Check> Checks);
