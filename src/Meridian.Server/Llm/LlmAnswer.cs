using Meridian.Server.Runs;

namespace Meridian.Server.Llm;

/// <summary>What was written. <see cref="Text"/> is exactly the concatenation of every delta streamed.
/// <see cref="Engine"/>: <c>builtin</c> or <c>provider:model</c> (<c>openai:gpt-4o-mini</c>).
/// <see cref="FellBack"/>: the configured provider failed and the built-in engine wrote (part of) the text;
/// <see cref="FallbackReason"/> says why. <see cref="Usage"/> counts every provider call made, failed ones too.</summary>
public sealed record LlmAnswer(string Text, string Engine, bool FellBack, string? FallbackReason, RunUsage Usage)
{
    /// <summary>The model that wrote the text, as the provider named it (a dated name, the model behind a
    /// deployment), else the configured one; <c>builtin</c> when the built-in engine wrote it.</summary>
    public string? ResponseModel { get; init; } = BuiltinChatClient.Engine;
}
