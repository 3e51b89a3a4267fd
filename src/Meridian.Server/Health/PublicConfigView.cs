namespace Meridian.Server.Health;

/// <summary>The answer of <c>GET /api/config/public</c>: what a client may know before it signs in.</summary>
public sealed record PublicConfigView(
    string Environment,
    string Version,
    IReadOnlyDictionary<string, bool> Features,
    PublicAuthMethods Auth,
    IReadOnlyDictionary<string, int> Limits);
