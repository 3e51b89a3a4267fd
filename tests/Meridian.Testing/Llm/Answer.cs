namespace Meridian.Testing.Llm;

/// <summary>A well-formed answer made of these pieces (streamed one event each), with this usage.</summary>
public sealed record Answer(string[] Pieces, int InputTokens = 1000, int OutputTokens = 500, string Model = "test-model-2025-01-01") : Reply
{
    public string Text => string.Concat(Pieces);
}
