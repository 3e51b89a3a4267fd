namespace Meridian.Server.Auth;

// Request bodies of the /auth routes. Every field is nullable so a missing one is answered 422 with field errors
// rather than a binding failure.

public sealed record RegisterRequest(string? Email, string? Password, string? Name);

public sealed record LoginRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record LogoutRequest(string? RefreshToken);

public sealed record ValidateRequest(string? Token);

public sealed record TestAuthRequest(string? Email, string? Name, string[]? Permissions);

public sealed record DevLoginRequest(string? Email, string? Name);
