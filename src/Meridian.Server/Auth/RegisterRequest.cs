namespace Meridian.Server.Auth;

// Request bodies of the /auth routes. Every field is nullable so a missing one is answered 422 with field errors
// rather than a binding failure.

public sealed record RegisterRequest(string? Email, string? Password, string? Name);
