namespace Meridian.Server.Auth;

/// <summary>The caller of a route that requires authorization.</summary>
public static class CurrentUserExtensions
{
    /// <summary>The authenticated caller; throws on a route that does not require authorization (a wiring bug).</summary>
    public static AuthenticatedUser CurrentUser(this HttpContext context) =>
        context.Features.Get<TokenValidation>() is { IsValid: true, User: { } user }
            ? user
            : throw new InvalidOperationException("No authenticated user: the route must call RequireAuthorization().");

    /// <summary>The caller's user id (the token's <c>sub</c>).</summary>
    public static string UserId(this HttpContext context) => context.CurrentUser().UserId;
}
