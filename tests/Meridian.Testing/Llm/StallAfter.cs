namespace Meridian.Testing.Llm;

/// <summary>Starts a 200 answer (a streamed one: with this first piece) and then stalls.</summary>
public sealed record StallAfter(string Piece) : Reply;
