namespace Meridian.Server.Health;

/// <summary>The answer of <c>GET /health/live</c>: <c>{"status": "alive"}</c> while the process serves.</summary>
public sealed record Liveness(string Status)
{
    public static readonly Liveness Alive = new("alive");
}
