namespace Meridian.Server.Ingest;

/// <summary>Whose records an export sent with a valid key becomes.</summary>
public sealed record IngestKeyOwner(string KeyId, string UserId);
