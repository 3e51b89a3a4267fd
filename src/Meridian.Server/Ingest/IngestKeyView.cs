namespace Meridian.Server.Ingest;

/// <summary>An ingest key as lists show it: never the key itself, only its first characters.</summary>
public sealed record IngestKeyView(
    string Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);
