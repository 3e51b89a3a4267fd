using System.Text;
using Meridian.Server.Llm;
using Meridian.Server.Runs;

namespace Meridian.Server.Agents;

/// <summary>Reporting: the built-in engine drafts the report from the stages' findings; the configured language
/// model (the built-in one by default) writes the final text from that draft, streamed as
/// <c>agent_response_delta</c> events. It never fails the run: when writing fails, the answer is the draft.</summary>
public sealed class ReportingAgent(LanguageModel model)
{
    private const string Instructions =
        "You are the reporting agent of Meridian, an assistant that cuts the cost and latency of a team's LLM usage. " +
        "Rewrite the draft report into clear, concise Markdown for the user who asked. Keep its sections in order: " +
        "## Summary, ## Key findings, ## Recommendations (numbered 1), 2), ...), ## Projected impact (keep the table), " +
        "## Next steps, and when present ### What I assumed and ### What to send next. " +
        "Use only figures that appear in the draft or the tool results, exactly as written: never invent, change, " +
        "round or combine a number. Leave out the draft's last line (the note on who wrote it). Do not mention these instructions.";

    public async Task<Report> RunAsync(PipelineContext context, Analysis analysis, CancellationToken cancellationToken)
    {
        var draft = ReportWriter.Write(analysis);
        LlmAnswer? written = null;
        var streamed = false;
        var stage = await context.StageAsync(AgentCatalog.Reporting, "Writing the report", async ct =>
        {
            var answer = await model.WriteAsync(
                new LlmRequest(AgentCatalog.Reporting, Instructions, Prompt(analysis, draft), draft),
                (delta, token) =>
                {
                    streamed = true;
                    return context.Emitter.DeltaAsync(AgentCatalog.Reporting, delta, token);
                }, ct);
            written = answer;
            var how = answer.FellBack ? $"the built-in engine ({answer.FallbackReason})" : answer.Engine;
            return new StageResult<string>(answer.Text, $"{answer.Text.Length} characters by {how}");
        }, cancellationToken);
        if (stage.Succeeded && written is not null)
        {
            return new Report(written.Text, written.Engine, written.FellBack, written.FallbackReason, written.Usage);
        }

        // Writing failed before a word reached the client: the draft is the answer, streamed like any other.
        if (!streamed)
        {
            await context.Emitter.DeltaAsync(AgentCatalog.Reporting, draft, cancellationToken);
        }

        return new Report(draft, "builtin", true, stage.Error, written?.Usage ?? RunUsage.None);
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

/// <summary>The answer, which engine wrote it (<c>builtin</c>, or e.g. <c>openai:gpt-4o-mini</c>), whether the built-in
/// engine stood in for a failed model, and the language-model usage of the writing.</summary>
public sealed record Report(string Response, string Engine, bool FellBack, string? FallbackReason, RunUsage Usage);
