using Meridian.Client;
using Meridian.Client.Events;
using Meridian.Client.Http;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Client;

/// <summary>The typed REST side of the client against a real server.</summary>
public sealed class ClientRestTests
{
    private const string Key = "client-tests-bypass-key-0123456789";

    [Fact]
    public async Task Sign_in_execute_and_read_a_run_through_typed_calls()
    {
        await using var server = await StartAsync();
        using var client = new MeridianClient(server.BaseAddress);
        var ct = TestContext.Current.CancellationToken;

        var answer = await client.TestAuthAsync(Key, "client-rest@example.com", "Client Rest", ct: ct);
        client.Token.ShouldBe(answer.AccessToken);
        (await client.MeAsync(ct)).Id.ShouldBe(answer.User.Id);

        var result = await client.ExecuteAsync("We spend $2,000 a month on GPT-4o; how do we cut it?", ct: ct);
        result.Status.ShouldBe("completed");
        var (page, events) = await client.RunEventsAsync(result.RunId, 0, ct);
        page.Complete.ShouldBeTrue();
        events[0].ShouldBeOfType<AgentStarted>().Agents.ShouldNotBeEmpty();
        events[^1].ShouldBeOfType<AgentCompleted>().Response.ShouldBe(result.Response);
        events.Select(e => e.Seq).ShouldBe(Enumerable.Range(1, events.Count).Select(i => (long?)i));

        var streamed = new List<RunEvent>();
        await foreach (var e in client.StreamRunEventsAsync(result.RunId, 2, ct))
        {
            streamed.Add(e);
        }

        streamed.Select(e => e.Seq).ShouldBe(events.Skip(2).Select(e => e.Seq));
        (await client.RunAsync(result.RunId, ct)).Status.ShouldBe("completed");
        (await client.MessagesAsync(result.ThreadId, ct: ct)).Messages.Select(m => m.Role).ShouldBe(["user", "assistant"]);
    }

    [Fact]
    public async Task Redirects_are_seen_not_followed_and_errors_carry_their_problem_body()
    {
        await using var server = await StartAsync(app => app.MapGet("/test/moved", () => Results.Redirect("/health", permanent: false, preserveMethod: true)));
        using var client = new MeridianClient(server.BaseAddress);
        var ct = TestContext.Current.CancellationToken;

        var moved = await client.SendAsync(HttpMethod.Get, "/test/moved", ct: ct);
        moved.Status.ShouldBe(307);
        moved.Location.ShouldBe("/health");
        moved.Describe().ShouldBe("GET /test/moved answered 307 Temporary Redirect (redirect to /health)");

        var missing = await Should.ThrowAsync<MeridianApiException>(() => client.GetAsync<HealthStatus>("/api/nothing-here", ct));
        missing.Status.ShouldBe(404);
        missing.ErrorCode.ShouldBe("NOT_FOUND");

        var refused = await Should.ThrowAsync<MeridianApiException>(() => client.TestAuthAsync("wrong-key-0123456789", "x@example.com", ct: ct));
        refused.Status.ShouldBe(401);
        refused.ErrorCode.ShouldBe("INVALID_BYPASS_KEY");
        client.Token.ShouldBeNull();
    }

    private static Task<ServerHarness> StartAsync(Action<WebApplication>? endpoints = null) =>
        AuthHarness.StartAsync(settings: new Dictionary<string, string?> { ["Auth:E2EBypassKey"] = Key }, endpoints: endpoints);
}
