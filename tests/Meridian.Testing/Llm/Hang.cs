namespace Meridian.Testing.Llm;

/// <summary>Accepts the request and never answers.</summary>
public sealed record Hang : Reply;
