namespace Meridian.Server.Tools;

public sealed record PlanData(IReadOnlyList<PlanStep> Steps, decimal MonthlySavingsUsd);
