using System.Diagnostics.Metrics;

namespace Meridian.Server.Llm;

/// <summary>Language-model calls by provider and outcome, their duration, tokens, and fallbacks to the built-in engine.</summary>
public sealed class LlmMetrics
{
    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _fallbacks;

    public LlmMetrics(IMeterFactory meters)
    {
        var meter = meters.Create("Meridian.Llm");
        _calls = meter.CreateCounter<long>("meridian.llm.calls", description: "Provider calls (attempts), by provider and outcome.");
        _duration = meter.CreateHistogram<double>("meridian.llm.call_duration", "s", "Duration of provider calls, by provider and outcome.");
        _tokens = meter.CreateCounter<long>("meridian.llm.tokens", description: "Tokens reported by providers, by provider and direction.");
        _fallbacks = meter.CreateCounter<long>("meridian.llm.fallbacks", description: "Texts the built-in engine wrote because the provider failed.");
    }

    public void Call(string provider, string outcome, double seconds, long inputTokens, long outputTokens)
    {
        var providerTag = new KeyValuePair<string, object?>("provider", provider);
        var outcomeTag = new KeyValuePair<string, object?>("outcome", outcome);
        _calls.Add(1, providerTag, outcomeTag);
        _duration.Record(seconds, providerTag, outcomeTag);
        _tokens.Add(inputTokens, providerTag, new KeyValuePair<string, object?>("direction", "input"));
        _tokens.Add(outputTokens, providerTag, new KeyValuePair<string, object?>("direction", "output"));
    }

    public void FellBack(string provider) => _fallbacks.Add(1, new KeyValuePair<string, object?>("provider", provider));
}
