namespace Meridian.Testing.Llm;

/// <summary>A 200 answer whose body (or, streaming, whose event data) is this text.</summary>
public sealed record Garbage(string Body) : Reply;
