namespace Meridian.Testing.Llm;

/// <summary>Which provider protocol a fake server speaks.</summary>
public enum Wire
{
    OpenAi,
    Anthropic,
}
