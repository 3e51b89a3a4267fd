namespace Meridian.Server.Health;

/// <summary>What <c>GET /api/config/public</c> advertises. Each capability adds its own entries when it registers
/// (<c>services.Configure&lt;PublicConfig&gt;(c =&gt; c.Features["websocket"] = true)</c>).</summary>
public sealed class PublicConfig
{
    public Dictionary<string, bool> Features { get; } = new(StringComparer.Ordinal);

    public List<string> AuthMethods { get; } = [];

    /// <summary>Limits a client should know before it sends (<c>max_input_length</c>: the longest message).</summary>
    public Dictionary<string, int> Limits { get; } = new(StringComparer.Ordinal);
}
