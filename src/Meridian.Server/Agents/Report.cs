using Meridian.Server.Runs;

namespace Meridian.Server.Agents;

/// <summary>The answer, which engine wrote it (<c>builtin</c>, or e.g. <c>openai:gpt-4o-mini</c>), whether the built-in
/// engine stood in for a failed model, and the language-model usage of the writing.</summary>
public sealed record Report(string Response, string Engine, bool FellBack, string? FallbackReason, RunUsage Usage);
