using System.Text.Json;

namespace Meridian.Server.Runs;

/// <summary>A run's stored events after a seq, as JSON (<c>GET /api/runs/{id}/events</c> without
/// <c>Accept: text/event-stream</c>); <c>complete</c> once the terminal event is among them.</summary>
public sealed record RunEventsView(string RunId, string Status, IReadOnlyList<JsonElement> Events, long LastSeq, bool Complete);
