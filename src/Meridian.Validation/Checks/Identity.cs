using Meridian.Client;

namespace Meridian.Validation.Checks;

/// <summary>A signed-in user of the target: its token, its id (from <c>GET /auth/me</c>) and a client using it.</summary>
public sealed record Identity(string Role, string Token, string UserId, MeridianClient Client);
