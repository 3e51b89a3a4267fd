using System.Text;
using Microsoft.Extensions.AI;

namespace Meridian.Server.Llm;

/// <summary>What one answer brought: its text, the model the provider said answered, whether it finished, and its
/// usage. Providers report usage as running totals (Anthropic: at <c>message_start</c> and again at the end; OpenAI:
/// once, in the last chunk), so the largest count of each kind is the answer's.</summary>
internal sealed class AttemptReading
{
    private readonly StringBuilder _text = new();

    public int Written => _text.Length;

    public bool HasText => !string.IsNullOrWhiteSpace(_text.ToString());

    public string? Model { get; private set; }

    /// <summary>The provider said why the answer ended (OpenAI's <c>finish_reason</c>, Anthropic's <c>stop_reason</c>):
    /// a stream without it was cut short.</summary>
    public bool Finished { get; private set; }

    public long InputTokens { get; private set; }

    public long OutputTokens { get; private set; }

    public long CachedInputTokens { get; private set; }

    /// <summary>Takes in a streamed update; returns its text, which the caller streams on.</summary>
    public string Add(ChatResponseUpdate update)
    {
        Model ??= update.ModelId;
        Finished |= update.FinishReason is not null;
        foreach (var usage in update.Contents.OfType<UsageContent>())
        {
            Add(usage.Details);
        }

        _text.Append(update.Text);
        return update.Text;
    }

    /// <summary>Takes in a whole answer; returns its text.</summary>
    public string Add(ChatResponse response)
    {
        Model ??= response.ModelId;
        Finished = true;
        if (response.Usage is { } usage)
        {
            Add(usage);
        }

        _text.Append(response.Text);
        return response.Text;
    }

    private void Add(UsageDetails usage)
    {
        InputTokens = Math.Max(InputTokens, usage.InputTokenCount ?? 0);
        OutputTokens = Math.Max(OutputTokens, usage.OutputTokenCount ?? 0);
        CachedInputTokens = Math.Max(CachedInputTokens, usage.CachedInputTokenCount ?? 0);
    }
}
