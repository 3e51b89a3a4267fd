namespace Meridian.Client.Http;

/// <summary>One Server-Sent Event: <c>id:</c>, <c>event:</c> and the joined <c>data:</c> lines.</summary>
public sealed record ServerSentEvent(string? Id, string? Event, string Data);
