namespace Meridian.Server.Ingest;

/// <summary>What one key delivered since a point in time: exports, spans stored as records, spans rejected (GenAI
/// spans with a problem) and spans ignored (not GenAI model calls).</summary>
public sealed record IngestKeyActivity(
    string KeyId, string Name, string Prefix, long Exports, long Accepted, long Rejected, long Ignored, DateTimeOffset? LastAt);
