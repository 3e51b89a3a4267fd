using System.ClientModel.Primitives;

namespace Meridian.Server.Llm;

/// <summary>No authentication: for OpenAI-compatible servers that need no key (Ollama, vLLM, LM Studio). The OpenAI
/// SDK insists on a credential and would send <c>Authorization: Bearer</c> with whatever it is given
/// (docs/language-models.md#9-what-the-sdks-do-and-what-meridian-does-itself).</summary>
internal sealed class KeylessAuthenticationPolicy : AuthenticationPolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
        ProcessNext(message, pipeline, currentIndex);

    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
        ProcessNextAsync(message, pipeline, currentIndex);
}
