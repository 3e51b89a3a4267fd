using System.Text;
using Meridian.Server.Llm;
using Meridian.Server.Runs;

namespace Meridian.Server.Agents;

/// <summary>Reporting: the built-in engine drafts the report from the stages' findings; the configured language
/// model (the built-in one by default) writes the final text from that draft, streamed as
/// <c>agent_response_delta</c> events. It never fails the run: when writing fails, the answer is the draft.</summary>
public sealed class ReportingAgent(LanguageModel model) : IAgent
{
    private const string Instructions =
        "You are the reporting agent of Meridian, an assistant that cuts the cost and latency of a team's LLM usage. " +
        "Rewrite the draft report into clear, concise Markdown for the user who asked. Keep its sections in order: " +
        "## Summary, ## Key findings, ## Recommendations (numbered 1), 2), ...), ## Projected impact (keep the table), " +
        "## Next steps, and when present ### What I assumed and ### What to send next. " +
        "Use only figures that appear in the draft or the tool results, exactly as written: never invent, change, " +
        "round or combine a number. Keep the line naming the price catalog and its date. Leave out the draft's last line (the note on who wrote it). Do not mention these instructions.";

    public string Activity => "Writing the report";

    public async Task<string> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var analysis = context.Analysis;
        var draft = ReportWriter.Write(analysis);
        var answer = await model.WriteAsync(
            new LlmRequest(AgentCatalog.Reporting, Instructions, Prompt(analysis, draft), draft),
            (delta, token) =>
            {
                analysis.AnswerStreamed = true;
                return context.DeltaAsync(delta, token);
            }, cancellationToken);
        analysis.Report = new Report(answer.Text, answer.Engine, answer.FellBack, answer.FallbackReason, answer.Usage);
        var how = answer.FellBack ? $"the built-in engine ({answer.FallbackReason})" : answer.Engine;
        return $"{answer.Text.Length} characters by {how}";
    }

    /// <summary>Reporting never fails the run, so it is not listed as a failed stage: the draft is the answer.</summary>
    public async Task OnFailedAsync(AgentContext context, string error, CancellationToken cancellationToken)
    {
        var draft = ReportWriter.Write(context.Analysis);

        // Writing failed before a word reached the client: the draft is streamed like any other answer.
        if (!context.Analysis.AnswerStreamed)
        {
            await context.DeltaAsync(draft, cancellationToken);
        }

        context.Analysis.Report = new Report(draft, "builtin", true, error, RunUsage.None);
    }

    private static string Prompt(Analysis analysis, string draft)
    {
        var prompt = new StringBuilder().Append("The user asked: ").AppendLine(analysis.Request).AppendLine().AppendLine("Tool results of this run:");
        foreach (var finding in (analysis.Data?.Findings ?? []).Concat(analysis.Optimization?.Findings ?? []))
        {
            prompt.Append("- ").AppendLine(finding);
        }

        return prompt.AppendLine().AppendLine("Draft report:").AppendLine().Append(draft).ToString();
    }
}
