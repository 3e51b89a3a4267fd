using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Meridian.Server.Runs;
using Meridian.Server.Storage;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Runs;

public sealed class RunRestTests
{
    private static readonly string Alice = RuntimeHarness.Token("user_a");
    private static readonly string Bob = RuntimeHarness.Token("user_b");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ScriptedPipeline Answering(string response = "# Report") => new(async (ctx, ct) =>
    {
        await ctx.StageAsync("triage", "Reading", _ => Task.FromResult(new StageResult<int>(1, "ok")), ct);
        return new PipelineResult(response, new { triage = new { category = "cost" } }, new RunUsage(0, 0, 0, 0));
    });

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Execute_waits_for_the_answer_and_only_the_owner_sees_the_thread_run_and_events(StorageProvider provider)
    {
        await using var harness = await RuntimeHarness.StartAsync(Answering("# Your report"), provider);
        var server = harness.Server;

        var (executed, result) = await server.PostAsync("/api/agents/execute", new { message = "Cut our GPT-4 bill" }, Alice);
        var runId = result.Text("run_id");
        var threadId = result.Text("thread_id");

        executed.StatusCode.ShouldBe(HttpStatusCode.OK, result.ToString());
        result.Text("status").ShouldBe("completed");
        result.Text("response").ShouldBe("# Your report");
        result.GetProperty("result").GetProperty("triage").Text("category").ShouldBe("cost");

        var (list, threads) = await server.SendAsync(HttpMethod.Get, "/api/threads", token: Alice);
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        threads.GetProperty("threads")[0].Text("id").ShouldBe(threadId);
        var (_, messages) = await server.SendAsync(HttpMethod.Get, $"/api/threads/{threadId}/messages", token: Alice);
        messages.GetProperty("messages").EnumerateArray().Select(m => (m.Text("role"), m.Text("run_id"))).ShouldBe([("user", runId), ("assistant", runId)]);
        messages.GetProperty("total").GetInt64().ShouldBe(2);
        var (_, runs) = await server.SendAsync(HttpMethod.Get, $"/api/threads/{threadId}/runs", token: Alice);
        runs.GetProperty("runs")[0].Text("run_id").ShouldBe(runId);
        var (_, run) = await server.SendAsync(HttpMethod.Get, $"/api/runs/{runId}", token: Alice);
        run.Text("status").ShouldBe("completed");
        run.GetProperty("duration_ms").GetInt64().ShouldBeGreaterThanOrEqualTo(0);
        var (_, events) = await server.SendAsync(HttpMethod.Get, $"/api/runs/{runId}/events?after_seq=1", token: Alice);
        events.GetProperty("events")[0].GetProperty("seq").GetInt64().ShouldBe(2);
        events.GetProperty("complete").GetBoolean().ShouldBeTrue();

        foreach (var path in new[] { $"/api/threads/{threadId}", $"/api/threads/{threadId}/messages", $"/api/threads/{threadId}/runs", $"/api/runs/{runId}", $"/api/runs/{runId}/events" })
        {
            (await server.SendAsync(HttpMethod.Get, path, token: Bob)).ShouldBeProblem(404, "NOT_FOUND");
        }

        (await server.PostAsync($"/api/runs/{runId}/cancel", token: Bob)).ShouldBeProblem(404, "NOT_FOUND");
        (await server.SendAsync(HttpMethod.Put, $"/api/threads/{threadId}", new { title = "mine now" }, Bob)).ShouldBeProblem(404, "NOT_FOUND");
        (await server.SendAsync(HttpMethod.Delete, $"/api/threads/{threadId}", token: Bob)).ShouldBeProblem(404, "NOT_FOUND");
        var (_, bobsThreads) = await server.SendAsync(HttpMethod.Get, "/api/threads", token: Bob);
        bobsThreads.GetProperty("threads").GetArrayLength().ShouldBe(0);
        (await server.PostAsync("/api/agents/execute", new { message = "x", thread_id = threadId }, Bob)).ShouldBeProblem(403, "THREAD_ACCESS_DENIED");
    }

    [Fact]
    public async Task Execute_without_waiting_answers_202_with_the_run_and_the_named_agent_routes_validate_input()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var harness = await RuntimeHarness.StartAsync(new ScriptedPipeline(async (_, ct) =>
        {
            await gate.Task.WaitAsync(ct);
            return ScriptedPipeline.Done();
        }));
        var server = harness.Server;

        var (accepted, body) = await server.PostAsync("/api/agents/optimization?wait=false", new { message = "Which features can use a cheaper model?" }, Alice);
        var (_, run) = await server.SendAsync(HttpMethod.Get, $"/api/runs/{body.Text("run_id")}", token: Alice);

        accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        accepted.Headers.Location!.ToString().ShouldBe($"/api/runs/{body.Text("run_id")}");
        run.Text("agent").ShouldBe("optimization");
        gate.SetResult();
        await harness.EndedAsync(body.Text("run_id"));

        (await server.PostAsync("/api/agents/no_such_agent", new { message = "hi" }, Alice)).ShouldBeProblem(404, "UNKNOWN_AGENT");
        (await server.PostAsync("/api/agents/triage", new { }, Alice)).ShouldBeProblem(422, "EMPTY_MESSAGE");
        (await server.PostAsync("/api/agents/execute", new[] { 1, 2 }, Alice)).ShouldBeProblem(422, "VALIDATION_FAILED");
        (await server.PostAsync("/api/agents/execute", new { message = "hi", agent = "nope" }, Alice)).ShouldBeProblem(404, "UNKNOWN_AGENT");
        (await server.PostAsync("/api/agents/execute", new { message = "hi" })).Response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var (_, agents) = await server.SendAsync(HttpMethod.Get, "/api/agents", token: Alice);
        agents.GetProperty("agents").EnumerateArray().Select(a => a.Text("name")).ShouldBe(
            ["supervisor", "triage", "data", "data_helper", "optimization", "actions", "reporting"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Sse_streams_live_events_with_seq_ids_honours_Last_Event_ID_and_ends_after_the_terminal_event(StorageProvider provider)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var harness = await RuntimeHarness.StartAsync(new ScriptedPipeline(async (ctx, ct) =>
        {
            await ctx.Emitter.ThinkingAsync("triage", "one", ct);
            await ctx.Emitter.ThinkingAsync("triage", "two", ct);
            await gate.Task.WaitAsync(ct);
            await ctx.Emitter.ThinkingAsync("triage", "three", ct);
            return ScriptedPipeline.Done();
        }), provider);
        var runId = await harness.StartAsync("user_a", "stream me");
        while ((await harness.EventsAsync(runId)).Count < 3)
        {
            await Task.Delay(10, Ct);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/runs/{runId}/events");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Alice);
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("Last-Event-ID", "2");
        using var response = await harness.Server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        var reading = Task.Run(async () => await response.Content.ReadAsStringAsync(Ct), Ct);
        gate.SetResult();
        var text = await reading.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var messages = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Where(m => !m.StartsWith(':')).ToList();
        var ids = messages.Select(m => long.Parse(m.Split('\n')[0]["id: ".Length..])).ToList();
        ids.ShouldBe(Enumerable.Range(3, messages.Count).Select(i => (long)i).ToList(), "from Last-Event-ID + 1, every seq once, in order");
        messages[^1].ShouldContain("event: agent_completed");
        // A loaded machine may let the run sit silent past the emitter's silence limit while the gate holds it; its
        // "Still working" progress event is then one more seq, and the script's own events are still these, in order.
        var scripted = messages.SkipLast(1).Select(m => JsonDocument.Parse(m.Split('\n')[2]["data: ".Length..]).RootElement.Text("reasoning"))
            .Where(r => r is null || !r.StartsWith("Still working", StringComparison.Ordinal)).ToList();
        scripted.ShouldBe(["two", "three"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Cancel_stops_an_active_run_and_a_finished_run_answers_409(StorageProvider provider)
    {
        await using var harness = await RuntimeHarness.StartAsync(new ScriptedPipeline(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return ScriptedPipeline.Done();
        }), provider);
        var runId = await harness.StartAsync("user_a", "long one");
        await harness.WaitForStatusAsync(runId, RunStatus.Running);

        var (cancelled, run) = await harness.Server.PostAsync($"/api/runs/{runId}/cancel", token: Alice);
        var again = await harness.Server.PostAsync($"/api/runs/{runId}/cancel", token: Alice);

        cancelled.StatusCode.ShouldBe(HttpStatusCode.OK);
        run.Text("status").ShouldBe("stopped");
        again.ShouldBeProblem(409, "RUN_NOT_ACTIVE");
        (await harness.EventsAsync(runId))[^1].Text("type").ShouldBe("agent_stopped");
    }

    [Fact]
    public async Task Threads_can_be_created_renamed_archived_and_listed_newest_first_with_paging()
    {
        await using var harness = await RuntimeHarness.StartAsync(Answering());
        var server = harness.Server;
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (created, thread) = await server.PostAsync("/api/threads", new { title = $"thread {i}" }, Alice);
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
            ids.Add(thread.Text("id"));
        }

        var (_, page) = await server.SendAsync(HttpMethod.Get, "/api/threads?limit=2&offset=0", token: Alice);
        var (_, rest) = await server.SendAsync(HttpMethod.Get, "/api/threads?limit=2&offset=2", token: Alice);
        var (renamed, thread0) = await server.SendAsync(HttpMethod.Put, $"/api/threads/{ids[0]}", new { title = "Budget review" }, Alice);
        var (archived, gone) = await server.SendAsync(HttpMethod.Delete, $"/api/threads/{ids[1]}", token: Alice);
        var (_, after) = await server.SendAsync(HttpMethod.Get, "/api/threads", token: Alice);

        page.GetProperty("threads").EnumerateArray().Select(t => t.Text("id")).ShouldBe([ids[2], ids[1]]);
        page.GetProperty("total").GetInt64().ShouldBe(3);
        rest.GetProperty("threads").EnumerateArray().Select(t => t.Text("id")).ShouldBe([ids[0]]);
        renamed.StatusCode.ShouldBe(HttpStatusCode.OK);
        thread0.Text("title").ShouldBe("Budget review");
        archived.StatusCode.ShouldBe(HttpStatusCode.OK);
        gone.GetProperty("archived").GetBoolean().ShouldBeTrue();
        after.GetProperty("threads").EnumerateArray().Select(t => t.Text("id")).ShouldNotContain(ids[1]);
        (await server.SendAsync(HttpMethod.Put, $"/api/threads/{ids[0]}", new { title = "" }, Alice)).ShouldBeProblem(422, "VALIDATION_FAILED");
        (await server.SendAsync(HttpMethod.Get, "/api/threads?limit=101", token: Alice)).ShouldBeProblem(422, "VALIDATION_FAILED");
        (await server.SendAsync(HttpMethod.Get, "/api/threads?limit=0", token: Alice)).ShouldBeProblem(422, "VALIDATION_FAILED");
    }
}
