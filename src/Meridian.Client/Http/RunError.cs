namespace Meridian.Client.Http;

public sealed record RunError(string? ErrorCode, string? Message);
