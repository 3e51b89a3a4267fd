using Meridian.Server.Agents.Triage;

namespace Meridian.Server.Agents;

/// <summary>The agents a client may name, with the aliases older clients use (docs/protocol.md#3-frames). The one list
/// of agents: each registers here with one line, and GET /api/agents, the UNKNOWN_AGENT check and the pipeline all
/// read it (docs/agents.md#7-adding-an-agent).</summary>
public static class AgentCatalog
{
    public const string Supervisor = "supervisor";
    public const string Triage = "triage";
    public const string Data = "data";
    public const string DataHelper = "data_helper";
    public const string Optimization = "optimization";
    public const string Actions = "actions";
    public const string Reporting = "reporting";

    /// <summary>The agents that run as stages, in the order clients see them.</summary>
    public static readonly IReadOnlyList<AgentRegistration> Registered =
    [
        AgentRegistration.Of<TriageAgent>(Triage, "Classifies the request, extracts amounts, percentages, latency targets, growth and models, and judges whether there is enough data.", "triage_agent"),
        AgentRegistration.Of<DataAgent>(Data, "Measures usage: cost by model and feature, tokens, latency percentiles, error rate, hourly pattern, repeated prompts, trend.", "data_agent", "unified_data_agent"),
        AgentRegistration.Of<DataHelperAgent>(DataHelper, "Says exactly which data to provide, why it matters and how to export it, when there is too little to measure.", "data_helper_agent"),
        AgentRegistration.Of<OptimizationAgent>(Optimization, "Computes savings of strategies such as model routing, caching, batching and output caps from the metrics and the price catalog.", "optimization_agent", "optimizations_core", "optimizations_core_agent"),
        AgentRegistration.Of<ActionsAgent>(Actions, "Turns the chosen strategies into an ordered implementation plan with owners, validation and rollback.", "actions_agent"),
        AgentRegistration.Of<ReportingAgent>(Reporting, "Writes the final answer in Markdown from the stages' results.", "reporting_agent"),
    ];

    /// <summary>The supervisor (the whole pipeline, not a stage of it) and every registered agent.</summary>
    public static readonly IReadOnlyList<AgentInfo> All =
    [
        new(Supervisor, "The whole pipeline: triage, then the stages the request needs, then the report.", ["supervisor_agent"]),
        .. Registered.Select(r => r.Info),
    ];

    private static readonly Dictionary<string, string> ByName = All
        .SelectMany(a => a.Aliases.Append(a.Name).Select(alias => (alias, a.Name)))
        .ToDictionary(p => p.alias, p => p.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The canonical name for a requested agent (none requested: the supervisor); null when unknown.</summary>
    public static string? Resolve(string? requested) =>
        string.IsNullOrWhiteSpace(requested) ? Supervisor : ByName.GetValueOrDefault(requested.Trim());
}
