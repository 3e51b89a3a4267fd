using Meridian.Server.Pricing;
using Meridian.Server.Runs;

namespace Meridian.Server.Llm;

/// <summary>Tokens of every answer of one call, failed ones included, priced at the end
/// (docs/language-models.md#6-usage-and-cost).</summary>
internal sealed class CallTally
{
    private long _input;
    private long _output;
    private long _cached;

    /// <summary>The model the provider said answered (a dated name, or the model behind an Azure deployment).</summary>
    private string? _model;

    /// <summary>The model that answered, as the provider named it; null when no answer named one.</summary>
    public string? Model => _model;

    public void Add(AttemptReading reading)
    {
        (_input, _output, _cached) = (_input + reading.InputTokens, _output + reading.OutputTokens, _cached + reading.CachedInputTokens);
        _model ??= reading.Model;
    }

    /// <summary>The call's usage: <paramref name="calls"/> requests, its tokens, priced by the model that answered, else
    /// by the configured one; a model the catalog does not know costs 0.</summary>
    public RunUsage Usage(int calls, PriceCatalog? catalog, string? configured)
    {
        var price = (_model is { Length: > 0 } reported ? catalog?.Find(reported) : null)
            ?? (configured is { Length: > 0 } ? catalog?.Find(configured) : null);
        return new RunUsage(calls, _input, _output, price?.Cost(_input, _output, _cached) ?? 0m);
    }
}
