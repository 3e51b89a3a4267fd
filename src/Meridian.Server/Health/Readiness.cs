namespace Meridian.Server.Health;

/// <summary>The answer of <c>GET /health/ready</c> (200 <c>ready</c>, 503 <c>not_ready</c>): the failing
/// dependencies by name, each check's outcome, and the startup phase.</summary>
public sealed record Readiness(string Status, IReadOnlyList<string> Failing, IReadOnlyDictionary<string, CheckStatus> Checks, string Phase);
