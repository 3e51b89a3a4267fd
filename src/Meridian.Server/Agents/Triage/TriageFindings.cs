namespace Meridian.Server.Agents.Triage;

/// <summary>The triage stage's output (docs/agents.md): what kind of request this is, what it states, whether there is
/// enough to measure, and which stages to run.</summary>
public sealed record TriageFindings(
    string Category,
    string Priority,
    Entities Entities,
    string DataSufficiency,
    long UsageRecords,
    IReadOnlyList<string> Plan);
