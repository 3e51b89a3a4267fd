namespace Meridian.Server.Ingest;

/// <summary>A new ingest key: <see cref="Key"/> is shown this once and never again.</summary>
public sealed record CreatedIngestKey(string Id, string Name, string Prefix, string Key, DateTimeOffset CreatedAt);
