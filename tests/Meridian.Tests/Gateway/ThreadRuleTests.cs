using System.Net;
using System.Text.Json;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Gateway;

/// <summary>Which thread a message sent over the socket goes to (docs/protocol.md#3-frames, and docs/runs.md#3-api):
/// <c>thread_id</c> or <c>payload.thread_id</c> when given; otherwise the user's most recently active thread that
/// is not archived, or a new one when there is none.</summary>
public sealed class ThreadRuleTests
{
    private static readonly string Alice = GatewayHarness.Token("alice");
    private static readonly string Bob = GatewayHarness.Token("bob");

    /// <summary>The per-user message limit is not under test: these tests send more than its default burst.</summary>
    private static Task<ServerHarness> StartAsync() =>
        GatewayHarness.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:MessageBurst"] = "100" });

    /// <summary>Sends a run-starting frame with <paramref name="id"/>, waits for its run to end, and returns the
    /// thread its run_accepted names.</summary>
    private static async Task<string> RunAsync(WsClient client, string id, object frame)
    {
        var withId = JsonSerializer.SerializeToNode(frame)!.AsObject();
        withId["id"] = id;
        await client.SendTextAsync(withId.ToJsonString());
        var accepted = await client.ExpectAsync(f => f.TryGetProperty("reply_to", out var r) && r.GetString() == id);
        accepted.GetProperty("type").GetString().ShouldBe("run_accepted", accepted.ToString());
        var runId = accepted.GetProperty("run_id").GetString();
        await client.ExpectAsync(f => f.GetProperty("type").GetString() == "agent_completed" && f.GetProperty("run_id").GetString() == runId, TimeSpan.FromSeconds(30));
        return accepted.GetProperty("thread_id").GetString()!;
    }

    private static async Task<List<string>> ThreadsAsync(ServerHarness server, string token)
    {
        var (response, body) = await server.SendAsync(HttpMethod.Get, "/api/threads?include_archived=true", token: token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        return body.GetProperty("threads").EnumerateArray().Select(t => t.Text("id")).ToList();
    }

    [Fact]
    public async Task Without_a_thread_id_a_user_with_no_thread_gets_a_new_one_and_the_next_message_stays_in_it()
    {
        await using var server = await StartAsync();
        await GatewayHarness.AddThreadAsync(server, "bobs-thread", "bob");
        await using var client = await WsClient.OpenAsync(server.BaseAddress, Alice);

        var first = await RunAsync(client, "m1", new { type = "user_message", content = "first question" });
        var second = await RunAsync(client, "m2", new { type = "chat_message", content = "and a follow-up" });

        first.ShouldStartWith("thread_");
        first.ShouldNotBe("bobs-thread", "another user's thread is never anyone else's default");
        second.ShouldBe(first, "the thread just created is now alice's most recently active one");
        (await ThreadsAsync(server, Alice)).ShouldBe([first]);
        var (_, messages) = await server.SendAsync(HttpMethod.Get, $"/api/threads/{first}/messages", token: Alice);
        messages.GetProperty("messages").EnumerateArray().Where(m => m.Text("role") == "user").Select(m => m.Text("content"))
            .ShouldBe(["first question", "and a follow-up"]);
    }

    [Fact]
    public async Task Without_a_thread_id_a_message_goes_to_the_most_recently_active_thread_not_the_newest_nor_the_switched_to_one()
    {
        await using var server = await StartAsync();
        await using var client = await WsClient.OpenAsync(server.BaseAddress, Alice);
        await using var bob = await WsClient.OpenAsync(server.BaseAddress, Bob);

        (await RunAsync(client, "a", new { type = "user_message", content = "about costs", thread_id = "older" })).ShouldBe("older");
        (await RunAsync(client, "b", new { type = "user_message", content = "about latency", thread_id = "newer" })).ShouldBe("newer");
        // The older thread becomes the most recently active one.
        (await RunAsync(client, "c", new { type = "user_message", content = "back to costs", thread_id = "older" })).ShouldBe("older");
        // Another user's activity does not count for alice.
        (await RunAsync(bob, "bob", new { type = "user_message", content = "bob's own", thread_id = "bob-latest" })).ShouldBe("bob-latest");
        // Switching thread is not activity, and the rule is per user, not per socket.
        await client.SendAsync(new { type = "switch_thread", thread_id = "newer", id = "switch" });
        (await client.ExpectTypeAsync("thread_data")).GetProperty("reply_to").GetString().ShouldBe("switch");

        var fromSameSocket = await RunAsync(client, "d", new { type = "user_message", content = "no thread given" });
        await using var other = await WsClient.OpenAsync(server.BaseAddress, Alice);
        var fromNewSocket = await RunAsync(other, "e", new { type = "start_agent", content = "no thread either", agent = "triage" });

        fromSameSocket.ShouldBe("older", "created first, but the most recently active");
        fromNewSocket.ShouldBe("older");
        (await ThreadsAsync(server, Alice)).ShouldBe(["older", "newer"], "the REST list agrees: most recently active first");
    }

    [Fact]
    public async Task A_thread_created_over_REST_counts_as_active_and_an_archived_thread_is_never_the_default()
    {
        await using var server = await StartAsync();
        await using var client = await WsClient.OpenAsync(server.BaseAddress, Alice);
        (await RunAsync(client, "a", new { type = "user_message", content = "first", thread_id = "chatty" })).ShouldBe("chatty");
        var (created, _) = await server.PostAsync("/api/threads", new { thread_id = "from-rest", title = "Planned" }, Alice);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);

        var toRest = await RunAsync(client, "b", new { type = "message", text = "lands in the thread created last" });
        var (archived, _) = await server.SendAsync(HttpMethod.Delete, "/api/threads/from-rest", token: Alice);
        archived.StatusCode.ShouldBe(HttpStatusCode.OK);
        var afterArchive = await RunAsync(client, "c", new { type = "user_message", content = "not in the archived one" });
        var (archivedChatty, _) = await server.SendAsync(HttpMethod.Delete, "/api/threads/chatty", token: Alice);
        archivedChatty.StatusCode.ShouldBe(HttpStatusCode.OK);
        var afterAll = await RunAsync(client, "d", new { type = "user_message", content = "every thread archived" });

        toRest.ShouldBe("from-rest");
        afterArchive.ShouldBe("chatty", "the archived thread was more recently active, but archived threads are not the default");
        afterAll.ShouldStartWith("thread_", customMessage: "with only archived threads left the user has none active: a new one");
        (await ThreadsAsync(server, Alice)).ShouldBe([afterAll, "chatty", "from-rest"], ignoreOrder: true);
    }

    [Fact]
    public async Task Payload_thread_id_is_honoured_and_a_top_level_thread_id_wins_over_it()
    {
        await using var server = await StartAsync();
        await GatewayHarness.AddThreadAsync(server, "bobs-thread", "bob");
        await using var client = await WsClient.OpenAsync(server.BaseAddress, Alice);
        (await RunAsync(client, "a", new { type = "user_message", content = "first", thread_id = "kept" })).ShouldBe("kept");
        (await RunAsync(client, "b", new { type = "user_message", content = "second", thread_id = "latest" })).ShouldBe("latest");

        var existing = await RunAsync(client, "c", new { type = "execute_agent", payload = new { user_request = "in an existing thread", thread_id = "kept" } });
        var created = await RunAsync(client, "d", new { type = "user_message", payload = new { content = "in a new thread", thread_id = "payload-made" } });
        var both = await RunAsync(client, "e", new { type = "chat", content = "both given", thread_id = "latest", payload = new { thread_id = "kept" } });
        await client.SendAsync(new { type = "user_message", id = "f", payload = new { content = "sneak", thread_id = "bobs-thread" } });
        var denied = await client.ExpectAsync(f => f.TryGetProperty("reply_to", out var r) && r.GetString() == "f");
        await client.SendAsync(new { type = "user_message", id = "g", payload = new { content = "bad id", thread_id = "not a valid id!" } });
        var invalid = await client.ExpectAsync(f => f.TryGetProperty("reply_to", out var r) && r.GetString() == "g");

        existing.ShouldBe("kept", "payload.thread_id picks an existing thread over the most recently active one");
        created.ShouldBe("payload-made", "an id that does not exist yet is created for the user");
        both.ShouldBe("latest");
        denied.GetProperty("error_code").GetString().ShouldBe("THREAD_ACCESS_DENIED");
        invalid.GetProperty("error_code").GetString().ShouldBe("INVALID_THREAD_ID");
        (await ThreadsAsync(server, Alice)).ShouldBe(["latest", "payload-made", "kept"]);
    }

    [Fact]
    public async Task A_thread_id_that_is_not_a_string_is_refused_and_starts_no_run()
    {
        await using var server = await StartAsync();
        await using var client = await WsClient.OpenAsync(server.BaseAddress, Alice);

        await client.SendAsync(new { type = "user_message", id = "n", content = "into thread five", thread_id = 5 });
        var top = await client.ExpectAsync(f => f.TryGetProperty("reply_to", out var r) && r.GetString() == "n");
        await client.SendAsync(new { type = "user_message", id = "p", payload = new { content = "into thread six", thread_id = new[] { 6 } } });
        var nested = await client.ExpectAsync(f => f.TryGetProperty("reply_to", out var r) && r.GetString() == "p");
        var answered = await RunAsync(client, "ok", new { type = "user_message", content = "with no thread", thread_id = (string?)null });

        top.GetProperty("error_code").GetString().ShouldBe("INVALID_THREAD_ID", top.ToString());
        nested.GetProperty("error_code").GetString().ShouldBe("INVALID_THREAD_ID", nested.ToString());
        (await ThreadsAsync(server, Alice)).ShouldBe([answered], "only the message with a null thread_id started a run");
    }
}
