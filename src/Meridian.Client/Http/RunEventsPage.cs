using System.Text.Json;

namespace Meridian.Client.Http;

public sealed record RunEventsPage(string RunId, string Status, IReadOnlyList<JsonElement> Events, long LastSeq, bool Complete);
