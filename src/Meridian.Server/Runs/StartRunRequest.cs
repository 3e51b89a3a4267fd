namespace Meridian.Server.Runs;

/// <summary>A user's request to start a run: the text, optionally one named agent and a thread.</summary>
public sealed record StartRunRequest(string? Text, string? Agent = null, string? ThreadId = null);
