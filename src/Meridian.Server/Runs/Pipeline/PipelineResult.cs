namespace Meridian.Server.Runs;

/// <summary>The final answer (Markdown), the structured output of every stage, and the language-model usage.</summary>
public sealed record PipelineResult(string Response, object Result, RunUsage Usage);
