namespace Meridian.Server.Auth;

/// <summary>The answer of <c>POST /auth/logout</c>: <c>{"status": "logged_out"}</c>.</summary>
public sealed record LogoutResponse(string Status)
{
    public static readonly LogoutResponse LoggedOut = new("logged_out");
}
