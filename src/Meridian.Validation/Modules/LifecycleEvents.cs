using Meridian.Validation.Checks;
using static Meridian.Validation.Checks.CheckRequirements;

namespace Meridian.Validation.Modules;

/// <summary>The run contract (docs/runs.md#2-events), one property per check, over the module's reference run, and what
/// the run left in its thread.</summary>
internal static class LifecycleEvents
{
    private const string Name = "lifecycle_events";

    public static ValidationModule Module { get; } = new(Name, "The run contract: envelope, order, seq, pairing, persistence", [
        new(Name, "event_envelope", "Every event carries its type's fields, the run's run_id and thread_id, and an ISO-8601 UTC timestamp with milliseconds", CheckBudget.Run,
            ctx => ContractAsync(ctx, DiagnosisKind.ContractViolation)),
        new(Name, "started_first_terminal_last", "Exactly one agent_started, first; exactly one terminal event, last", CheckBudget.Run, ctx => ContractAsync(ctx, DiagnosisKind.OrderViolation)),
        new(Name, "seq_contiguous", "seq starts at 1 and grows by exactly 1: no gap, no duplicate", CheckBudget.Run, ctx => ContractAsync(ctx, DiagnosisKind.SeqViolation)),
        new(Name, "pairs_closed", "Every tool_executing has its tool_completed (same call_id) and every subagent_started its subagent_completed", CheckBudget.Run,
            ctx => ContractAsync(ctx, DiagnosisKind.PairingViolation)),
        new(Name, "thread_persisted", "The run's thread holds the user's message and the assistant's answer with the run's id", CheckBudget.Run, PersistedAsync),
    ]);

    private static async Task ContractAsync(CheckContext ctx, DiagnosisKind kind)
    {
        var run = await ctx.ReferenceRunAsync();
        RequireContract(run, kind);
    }

    private static async Task PersistedAsync(CheckContext ctx)
    {
        var run = await ctx.ReferenceRunAsync();
        var response = RequireCompleted(run).Response;
        var user = await ctx.UserAsync();
        var page = await ctx.EventuallyAsync(() => user.Client.MessagesAsync(run.ThreadId, 100, ctx.Cancellation),
            p => p.Messages.Any(m => m.Role == "assistant" && m.RunId == run.RunId));
        Require(page.Messages.Any(m => m.Role == "user" && m.Content == run.Text), DiagnosisKind.ContractViolation,
            $"thread {run.ThreadId} lacks the user's message ({page.Messages.Count} messages)");
        Require(page.Messages.Any(m => m.Role == "assistant" && m.RunId == run.RunId && m.Content == response), DiagnosisKind.ContractViolation,
            $"thread {run.ThreadId} lacks an assistant message with run_id {run.RunId} and the run's response",
            [.. page.Messages.TakeLast(3).Select(m => $"{m.Role} {m.RunId}: {Diagnoser.Shorten(m.Content, 120)}")]);
        ctx.Note($"{page.Messages.Count} messages in {run.ThreadId}");
    }
}
