using System.Text.Json;
using Meridian.Server.Runs;

namespace Meridian.Server.Agents;

/// <summary>A run started over HTTP that ended while the caller waited: its answer, the agent's structured result and
/// usage (from the terminal event), or why it failed.</summary>
public sealed record AgentRunResult(
    string RunId,
    string ThreadId,
    string Status,
    JsonElement? Response,
    JsonElement? Result,
    JsonElement? Usage,
    RunError? Error);
