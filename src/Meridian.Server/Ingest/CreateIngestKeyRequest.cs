namespace Meridian.Server.Ingest;

/// <summary><c>POST /api/ingest/keys</c>: what the key is for, 1–100 characters ("checkout service, production").</summary>
public sealed record CreateIngestKeyRequest(string? Name);
