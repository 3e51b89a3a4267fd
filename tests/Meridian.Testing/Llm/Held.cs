namespace Meridian.Testing.Llm;

/// <summary>A streamed answer that pauses after its first <paramref name="PiecesBefore"/> pieces until
/// <paramref name="Release"/> completes, then streams the rest: a run held mid-answer for as long as a test needs,
/// without guessing at a delay.</summary>
public sealed record Held(Answer Answer, int PiecesBefore, Task Release) : Reply;
