using System.Net;
using Meridian.Server.Storage;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Auth;

public sealed class SessionTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Refresh_rotates_both_tokens_and_the_new_access_token_works(StorageProvider provider)
    {
        await using var server = await AuthHarness.StartAsync(provider);
        var first = await server.RegisterAsync(AuthHarness.NewEmail());

        var (response, second) = await server.PostAsync("/auth/refresh", new { refresh_token = first.Text("refresh_token") });
        var (me, profile) = await server.MeAsync(second.Text("access_token"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.Text("refresh_token").ShouldNotBe(first.Text("refresh_token"));
        second.Text("access_token").ShouldNotBe(first.Text("access_token"));
        second.Text("token_type").ShouldBe("Bearer");
        me.StatusCode.ShouldBe(HttpStatusCode.OK);
        profile.Text("id").ShouldBe(first.GetProperty("user").Text("id"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reusing_a_refresh_token_is_401_and_revokes_the_whole_family(StorageProvider provider)
    {
        await using var server = await AuthHarness.StartAsync(provider);
        var first = await server.RegisterAsync(AuthHarness.NewEmail());
        var (_, second) = await server.PostAsync("/auth/refresh", new { refresh_token = first.Text("refresh_token") });
        var (_, third) = await server.PostAsync("/auth/refresh", new { refresh_token = second.Text("refresh_token") });

        var reuse = await server.PostAsync("/auth/refresh", new { refresh_token = first.Text("refresh_token") });
        var newest = await server.PostAsync("/auth/refresh", new { refresh_token = third.Text("refresh_token") });
        var sessionAccess = await server.MeAsync(third.Text("access_token"));

        reuse.ShouldBeProblem(401, "INVALID_TOKEN");
        newest.ShouldBeProblem(401, "INVALID_TOKEN");
        sessionAccess.ShouldBeProblem(401, "INVALID_TOKEN");
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_reused_family_does_not_touch_the_users_other_sessions(StorageProvider provider)
    {
        await using var server = await AuthHarness.StartAsync(provider);
        var email = AuthHarness.NewEmail();
        var stolen = await server.RegisterAsync(email);
        var (_, other) = await server.PostAsync("/auth/login", new { email, password = AuthHarness.Password });
        await server.PostAsync("/auth/refresh", new { refresh_token = stolen.Text("refresh_token") });
        await server.PostAsync("/auth/refresh", new { refresh_token = stolen.Text("refresh_token") });

        var (response, _) = await server.PostAsync("/auth/refresh", new { refresh_token = other.Text("refresh_token") });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Refresh_with_an_unknown_or_missing_token_is_rejected()
    {
        await using var server = await AuthHarness.StartAsync();

        var unknown = await server.PostAsync("/auth/refresh", new { refresh_token = "no-such-token" });
        var missing = await server.PostAsync("/auth/refresh", new { });

        unknown.ShouldBeProblem(401, "INVALID_TOKEN");
        missing.ShouldBeProblem(422, "VALIDATION_FAILED");
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Logout_revokes_the_access_token_and_its_refresh_family_while_a_fresh_login_works(StorageProvider provider)
    {
        await using var server = await AuthHarness.StartAsync(provider);
        var email = AuthHarness.NewEmail();
        var session = await server.RegisterAsync(email);

        var (logout, body) = await server.PostAsync("/auth/logout", token: session.Text("access_token"));
        var after = await server.MeAsync(session.Text("access_token"));
        var refresh = await server.PostAsync("/auth/refresh", new { refresh_token = session.Text("refresh_token") });
        var (login, fresh) = await server.PostAsync("/auth/login", new { email, password = AuthHarness.Password });
        var (me, _) = await server.MeAsync(fresh.Text("access_token"));

        logout.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.Text("status").ShouldBe("logged_out");
        after.ShouldBeProblem(401, "INVALID_TOKEN");
        refresh.ShouldBeProblem(401, "INVALID_TOKEN");
        login.StatusCode.ShouldBe(HttpStatusCode.OK);
        me.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Logout_also_ends_the_family_of_a_refresh_token_given_in_the_body()
    {
        await using var server = await AuthHarness.StartAsync();
        var email = AuthHarness.NewEmail();
        var first = await server.RegisterAsync(email);
        var (_, second) = await server.PostAsync("/auth/login", new { email, password = AuthHarness.Password });

        var (logout, _) = await server.PostAsync("/auth/logout", new { refresh_token = second.Text("refresh_token") }, first.Text("access_token"));
        var refresh = await server.PostAsync("/auth/refresh", new { refresh_token = second.Text("refresh_token") });

        logout.StatusCode.ShouldBe(HttpStatusCode.OK);
        refresh.ShouldBeProblem(401, "INVALID_TOKEN");
    }

    [Fact]
    public async Task Logout_without_a_token_is_401()
    {
        await using var server = await AuthHarness.StartAsync();

        var answer = await server.PostAsync("/auth/logout");

        answer.ShouldBeProblem(401, "AUTH_REQUIRED");
    }
}
