namespace Meridian.Server.Llm;

/// <summary>What a stage asks a model to write. <see cref="BuiltinText"/> is the deterministic text the built-in
/// engine writes from the tool results (the agents compute it); a real model is given the system prompt and the
/// user prompt (which carry the tool figures and that draft) and asked for better prose without new numbers.</summary>
public sealed record LlmRequest(string Agent, string SystemPrompt, string UserPrompt, string BuiltinText);
