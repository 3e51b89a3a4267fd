using System.Net;
using Meridian.Server.Auth;

namespace Meridian.Tests.Auth;

/// <summary>What a feature gets from RequireAuthorization() and the current-user helpers.</summary>
public sealed class ProtectedRouteTests
{
    private static readonly string[] AdminOnly = ["admin"];

    private static void Routes(WebApplication app)
    {
        var group = app.MapGroup("/api/test").RequireAuthorization();
        group.MapGet("/whoami", (HttpContext context) => TypedResults.Ok(new
        {
            user_id = context.UserId(),
            permissions = context.CurrentUser().Permissions,
        }));
        group.MapGet("/admin", () => TypedResults.Ok(new { ok = true })).RequireAuthorization(p => p.RequireRole("admin"));
        app.MapGet("/api/test/inline-policy", () => TypedResults.Ok(new { ok = true })).RequireAuthorization(p => p.RequireRole("admin"));
        app.MapGet("/api/test/public", (HttpContext context) => TypedResults.Ok(new { authenticated = context.User.Identity?.IsAuthenticated == true }));
    }

    [Fact]
    public async Task A_protected_group_sees_the_caller_and_refuses_anonymous_calls()
    {
        await using var server = await AuthHarness.StartAsync(endpoints: Routes);
        var session = await server.RegisterAsync(AuthHarness.NewEmail());

        var (ok, body) = await server.SendAsync(HttpMethod.Get, "/api/test/whoami", token: session.Text("access_token"));
        var anonymous = await server.SendAsync(HttpMethod.Get, "/api/test/whoami");

        ok.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.Text("user_id").ShouldBe(session.GetProperty("user").Text("id"));
        anonymous.ShouldBeProblem(401, "AUTH_REQUIRED");
    }

    [Fact]
    public async Task A_missing_permission_is_403_forbidden_and_a_granted_one_passes()
    {
        await using var server = await AuthHarness.StartAsync(endpoints: Routes);
        var user = await server.RegisterAsync(AuthHarness.NewEmail());
        var admin = AuthHarness.Mint(new Dictionary<string, object> { ["sub"] = "ext_admin", ["permissions"] = AdminOnly });

        var refused = await server.SendAsync(HttpMethod.Get, "/api/test/admin", token: user.Text("access_token"));
        var (allowed, _) = await server.SendAsync(HttpMethod.Get, "/api/test/admin", token: admin);
        var (inline, _) = await server.SendAsync(HttpMethod.Get, "/api/test/inline-policy", token: admin);
        var inlineAnonymous = await server.SendAsync(HttpMethod.Get, "/api/test/inline-policy");

        refused.ShouldBeProblem(403, "FORBIDDEN");
        allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
        inline.StatusCode.ShouldBe(HttpStatusCode.OK);
        inlineAnonymous.ShouldBeProblem(401, "AUTH_REQUIRED");
    }

    [Fact]
    public async Task Public_routes_ignore_even_a_bad_bearer_header()
    {
        await using var server = await AuthHarness.StartAsync(endpoints: Routes);

        var (response, body) = await server.SendAsync(HttpMethod.Get, "/api/test/public", token: "garbage");
        var (health, _) = await server.SendAsync(HttpMethod.Get, "/health", token: "garbage");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("authenticated").GetBoolean().ShouldBeFalse();
        health.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
