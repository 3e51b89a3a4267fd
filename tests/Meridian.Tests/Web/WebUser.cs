namespace Meridian.Tests.Web;

/// <summary>An account a browser test created for itself, so tests never share a user.</summary>
public sealed record WebUser(string Email, string Password)
{
    public static WebUser New() => new($"web-{Guid.NewGuid():N}@example.test", "Meridian-e2e-" + Guid.NewGuid().ToString("N")[..12]);
}
