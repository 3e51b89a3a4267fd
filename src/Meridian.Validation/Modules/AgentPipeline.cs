using System.Text.Json;
using Meridian.Client;
using Meridian.Client.Events;
using Meridian.Client.Http;
using Meridian.Validation.Checks;
using static Meridian.Validation.Checks.CheckContext;
using static Meridian.Validation.Checks.CheckRequirements;

namespace Meridian.Validation.Modules;

/// <summary>The agents: the catalog, running the whole pipeline over REST and one named agent over the socket,
/// refusing unknown agents, and stages that open and close.</summary>
internal static class AgentPipeline
{
    private const string Name = "agent_pipeline";

    /// <summary>The agent names of the contract (docs/protocol.md#3-frames).</summary>
    private static readonly string[] ContractAgents = ["supervisor", "triage", "data", "data_helper", "optimization", "actions", "reporting"];

    public static ValidationModule Module { get; } = new(Name, "Agents: catalog, execution over REST and the socket, stages", [
        new(Name, "agents_listed", "GET /api/agents lists every agent of the contract", CheckBudget.Quick, ListedAsync),
        new(Name, "rest_execute", "POST /api/agents/execute runs the pipeline to completed; the stored events keep the run contract and end with the same response", CheckBudget.Run, RestExecuteAsync),
        new(Name, "single_agent", "start_agent naming triage runs it (agent_started.agents and a subagent_started name it) and completes", CheckBudget.Run, SingleAgentAsync),
        new(Name, "unknown_agent_refused", "An unknown agent gets UNKNOWN_AGENT on the socket and 404 UNKNOWN_AGENT over REST", CheckBudget.Quick, UnknownAgentAsync),
        new(Name, "mcp_tools", "GET /api/mcp/servers lists an online server, and POST /mcp answers tools/list with the tools over JSON-RPC (JSON or a server-sent event)", CheckBudget.Quick, McpAsync),
        new(Name, "stages_complete", "The reference run has at least one stage; every stage and tool call it opens is closed with a contract status", CheckBudget.Run, StagesAsync),
    ]);

    private static async Task ListedAsync(CheckContext ctx)
    {
        var body = await ctx.GetJsonAsync("/api/agents", await ctx.UserAsync());
        var names = body.Field("agents") is { } agents && agents.ValueKind == System.Text.Json.JsonValueKind.Array
            ? agents.EnumerateArray().Select(a => a.Text("name")).OfType<string>().ToHashSet()
            : [];
        var missing = ContractAgents.Where(a => !names.Contains(a)).ToList();
        Require(missing.Count == 0, DiagnosisKind.ContractViolation, $"GET /api/agents lacks {string.Join(", ", missing)}", Diagnoser.Shorten(body.GetRawText()));
        ctx.Note($"agents: {string.Join(", ", names)}");
    }

    private static async Task McpAsync(CheckContext ctx)
    {
        var user = await ctx.UserAsync();
        var listed = await ctx.GetJsonAsync("/api/mcp/servers", user);
        var server = listed.Field("servers") is { ValueKind: JsonValueKind.Array } servers && servers.GetArrayLength() > 0 ? servers[0] : default;
        Require(server.ValueKind == JsonValueKind.Object && server.Text("status") == "online", DiagnosisKind.ContractViolation,
            "GET /api/mcp/servers lists no online server", Diagnoser.Shorten(listed.GetRawText()));
        var response = await ctx.SendAsync(HttpMethod.Post, "/mcp", user, new { jsonrpc = "2.0", id = 1, method = "tools/list" }, McpAnswer.Accept);
        var answer = McpAnswer.Read(response) ?? throw new CheckFailedException(response.Status == 200
            ? new Diagnosis(DiagnosisKind.ContractViolation, "POST /mcp answered 200 with no JSON-RPC message (JSON, or a server-sent event)", [.. Diagnoser.Evidence(response)])
            : Diagnoser.Http(response));
        var tools = answer.Field("result") is { ValueKind: JsonValueKind.Object } result && result.Field("tools") is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().Select(t => t.Text("name")).OfType<string>().ToList()
            : [];
        Require(tools.Count > 0, DiagnosisKind.ContractViolation, "POST /mcp tools/list answered without tools", Diagnoser.Shorten(answer.GetRawText()));
        ctx.Note($"{server.Text("name")} {server.Text("status")}: {string.Join(", ", tools)}");
    }

    private static async Task RestExecuteAsync(CheckContext ctx)
    {
        // The call waits for the run's end: not worth waiting for once runs were found not to end.
        ctx.RequireCapabilities(Capability.RunsEnd);
        var user = await ctx.UserAsync();
        var result = (await ctx.PostJsonAsync("/api/agents/execute", new { message = Question }, user)).Deserialize<ExecuteResult>(Json.Options)!;
        Require(result.Status == "completed" && !string.IsNullOrWhiteSpace(result.Response), DiagnosisKind.RunFailed,
            $"{result.RunId} ended {result.Status}{(result.Error is { } e ? $" ({e.ErrorCode}: {e.Message})" : "")}, not completed with a response");
        var (page, events) = await user.Client.RunEventsAsync(result.RunId, 0, ctx.Cancellation);
        Require(page.Complete, DiagnosisKind.ContractViolation, $"GET /api/runs/{result.RunId}/events says complete: false after the run ended");
        RequireContract(new RunTranscript(Question, DateTimeOffset.UtcNow, Accepted(result.RunId, result.ThreadId), events));
        Require((events[^1] as AgentCompleted)?.Response == result.Response, DiagnosisKind.ContractViolation,
            "the execute answer's response differs from agent_completed.response in the stored events");
        ctx.Note($"{result.RunId}: {events.Count} stored events");
    }

    /// <summary>A run_accepted built from a REST answer, so REST runs read like socket runs.</summary>
    public static RunAcceptedFrame Accepted(string runId, string threadId) =>
        new(Json.Parse(Json.Serialize(new { type = "run_accepted", run_id = runId, thread_id = threadId })), DateTimeOffset.UtcNow);

    private static async Task SingleAgentAsync(CheckContext ctx)
    {
        var socket = await ctx.ConnectAsync(await ctx.UserAsync());
        var run = await ctx.RunAsync(socket, Message(agent: "triage", type: "start_agent"));
        RequireCompleted(run);
        var planned = ((AgentStarted)run.Events[0]).Agents;
        Require(planned.Contains("triage"), DiagnosisKind.ContractViolation, $"agent_started.agents is [{string.Join(", ", planned)}]; it does not name triage");
        Require(run.Events.OfType<SubagentStarted>().Any(s => s.AgentName == "triage"), DiagnosisKind.ContractViolation, "no subagent_started for triage");
    }

    private static async Task UnknownAgentAsync(CheckContext ctx)
    {
        var user = await ctx.UserAsync();
        var socket = await ctx.ConnectAsync(user);
        MessageFlow.RequireError(await ctx.AskAsync(socket, Message(agent: "meridian_validate_no_such_agent", type: "start_agent"), "an error for an unknown agent"),
            "UNKNOWN_AGENT", "start_agent naming an unknown agent");
        RequireProblem(await ctx.SendAsync(HttpMethod.Post, "/api/agents/meridian_validate_no_such_agent", user, new { message = Question }), 404, "UNKNOWN_AGENT");
    }

    private static async Task StagesAsync(CheckContext ctx)
    {
        var run = await ctx.ReferenceRunAsync();
        RequireContract(run, DiagnosisKind.PairingViolation);
        var stages = run.Events.OfType<SubagentStarted>().Select(s => s.AgentName).ToList();
        Require(stages.Count > 0, DiagnosisKind.ContractViolation, $"{run.RunId} ran no stage (no subagent_started)");
        ctx.Note($"stages: {string.Join(" → ", stages)}; tool calls: {run.Events.OfType<ToolExecuting>().Count()}");
    }
}
