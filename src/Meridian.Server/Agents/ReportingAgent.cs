using System.Text;
using Meridian.Server.Runs;

namespace Meridian.Server.Agents;

/// <summary>Reporting: the built-in engine drafts the report from the stages' findings; the configured language
/// model (the built-in one by default) writes the final text from that draft, streamed as
/// <c>agent_response_delta</c> events. It never fails the run: when writing fails, the answer is the draft.</summary>
public sealed class ReportingAgent
{
    private const string Instructions =
        "You are the reporting agent of Meridian, an assistant that cuts the cost and latency of a team's LLM usage. " +
        "Rewrite the draft report into clear, concise Markdown for the user who asked. Keep its sections in order: " +
        "## Summary, ## Key findings, ## Recommendations (numbered 1), 2), ...), ## Projected impact (keep the table), " +
        "## Next steps, and when present ### What I assumed and ### What to send next. " +
        "Use only figures that appear in the draft or the tool results, exactly as written: never invent, change, " +
        "round or combine a number. Leave out the draft's last line (the note on who wrote it). Do not mention these instructions.";

    public async Task<(string Response, RunUsage Usage)> RunAsync(PipelineContext context, Analysis analysis, CancellationToken cancellationToken)
    {
        var draft = ReportWriter.Write(analysis);
        var usage = RunUsage.None;
        var written = await context.StageAsync(AgentCatalog.Reporting, "Writing the report", async ct =>
        {
            await context.Emitter.DeltaAsync(AgentCatalog.Reporting, draft, ct);
            return new StageResult<string>(draft, $"{draft.Length} characters");
        }, cancellationToken);
        return (written.Value ?? draft, usage);
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
