using System.Diagnostics;
using Meridian.Server.Telemetry;

namespace Meridian.Server.Llm;

/// <summary>The span of one <see cref="LanguageModel.WriteAsync"/> call, all its attempts and any fallback included,
/// with the generative-AI attributes (docs/operations.md#7-traces). Provider HTTP calls are its children.</summary>
internal static class ModelCallSpan
{
    public static Activity? Start(string provider, string model, string agent)
    {
        var span = MeridianTelemetry.StartChild(GenAi.Chat, model, ActivityKind.Client);
        span?.SetTag(GenAi.OperationName, GenAi.Chat).SetTag(GenAi.ProviderName, provider)
            .SetTag(GenAi.RequestModel, model).SetTag(MeridianTelemetry.Agent, agent);
        return span;
    }

    public static void Finish(Activity? span, LlmAnswer answer)
    {
        if (span is not { IsAllDataRequested: true })
        {
            return;
        }

        span.SetTag(GenAi.ResponseModel, answer.ResponseModel)
            .SetTag(GenAi.InputTokens, answer.Usage.InputTokens)
            .SetTag(GenAi.OutputTokens, answer.Usage.OutputTokens);
        if (answer.FellBack)
        {
            span.SetTag("meridian.llm.fell_back", true).Fail(answer.FallbackReason ?? "the provider failed");
        }
    }
}
