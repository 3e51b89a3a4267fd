namespace Meridian.Server.Health;

/// <summary>A dependency that must answer for the node to be ready (database, LLM provider, ...).</summary>
public interface IReadinessCheck
{
    /// <summary>The dependency's name as reported by <c>/health/ready</c>.</summary>
    string Name { get; }

    /// <summary>Returns null when healthy, else a short reason. Must honour the token (the probe is bounded).</summary>
    Task<string?> CheckAsync(CancellationToken cancellationToken);
}
