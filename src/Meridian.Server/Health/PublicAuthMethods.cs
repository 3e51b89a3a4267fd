namespace Meridian.Server.Health;

/// <summary>The sign-in methods this node offers (docs/auth.md).</summary>
public sealed record PublicAuthMethods(IReadOnlyList<string> Methods);
