namespace Meridian.Server.Ingest;

/// <summary><c>GET /api/ingest/recent</c>: what each of the caller's keys delivered in the last hour.</summary>
public sealed record IngestRecent(DateTimeOffset Since, long Accepted, long Rejected, long Ignored, IReadOnlyList<IngestKeyActivity> Keys);
