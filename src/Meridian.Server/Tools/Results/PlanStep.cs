namespace Meridian.Server.Tools;

public sealed record PlanStep(
    int Order,
    string StrategyId,
    string Action,
    string OwnerRole,
    string Effort,
    IReadOnlyList<string> ConfigChanges,
    string Validation,
    string Rollback);
