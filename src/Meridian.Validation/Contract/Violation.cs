using Meridian.Client;
using Meridian.Client.Events;
using Meridian.Validation.Checks;

namespace Meridian.Validation.Contract;

/// <summary>One way a run's events break docs/runs.md#2-events.</summary>
public sealed record Violation(DiagnosisKind Kind, string Message);
