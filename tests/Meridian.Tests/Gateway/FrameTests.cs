using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Meridian.Server.Runs;
using Meridian.Tests.Runs;

namespace Meridian.Tests.Gateway;

public sealed class FrameTests
{
    private static readonly string Alice = GatewayHarness.Token("alice");
    private static readonly string Bob = GatewayHarness.Token("bob");

    [Fact]
    public async Task Simple_frames_are_answered_with_the_id_echoed_as_reply_to()
    {
        await using var server = await GatewayHarness.StartAsync();
        await using var client = await WsClient.OpenAsync(server.BaseAddress, Alice);

        await client.SendAsync(new { type = "ping", id = "p-1" });
        var pong = await client.ExpectTypeAsync("pong");
        await client.SendAsync(new { type = "heartbeat", id = 7 });
        var ack = await client.ExpectTypeAsync("heartbeat_ack");
        await client.SendAsync(new { type = "get_agent_status" });
        var status = await client.ExpectTypeAsync("agent_status");

        pong.GetProperty("reply_to").GetString().ShouldBe("p-1");
        ack.GetProperty("status").GetString().ShouldBe("healthy");
        ack.GetProperty("reply_to").GetInt32().ShouldBe(7);
        status.GetProperty("active_runs").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Every_frame_sent_is_counted_by_type_in_the_metrics()
    {
        await using var server = await GatewayHarness.StartAsync();
        await using var client = await WsClient.OpenAsync(server.BaseAddress, Alice);

        for (var i = 0; i < 5; i++)
        {
            await client.SendAsync(new { type = "ping" });
        }

        for (var i = 0; i < 5; i++)
        {
            await client.ExpectTypeAsync("pong");
        }

        await client.SendAsync(new { type = "heartbeat" });
        await client.ExpectTypeAsync("heartbeat_ack");

        // Counts are reported once a burst has been sent, so the scrape may briefly lag the client.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string metrics;
        do
        {
            metrics = await server.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        }
        while (!metrics.Contains("meridian_ws_frames_sent_total{type=\"heartbeat_ack\"} 1", StringComparison.Ordinal) && DateTime.UtcNow < deadline);

        metrics.ShouldContain("meridian_ws_frames_sent_total{type=\"system_message\"} 1");
        metrics.ShouldContain("meridian_ws_frames_sent_total{type=\"pong\"} 5");
        metrics.ShouldContain("meridian_ws_frames_sent_total{type=\"heartbeat_ack\"} 1");
    }

    [Fact]
    public async Task A_frame_sent_in_fragments_is_answered_whole_and_an_empty_frame_is_a_format_error()
    {
        await using var server = await GatewayHarness.StartAsync();
        await using var client = await WsClient.OpenAsync(server.BaseAddress, Alice);
        var padding = new string(' ', 5000); // longer than the first receive buffer, within Gateway:MaxMessageSize
        var parts = new[] { "{\"type\":\"pi", "ng\",\"id\":\"frag\"" + padding, "}" };

        for (var i = 0; i < parts.Length; i++)
        {
            await client.Socket.SendAsync(Encoding.UTF8.GetBytes(parts[i]), WebSocketMessageType.Text, endOfMessage: i == parts.Length - 1, TestContext.Current.CancellationToken);
        }

        var pong = await client.ExpectTypeAsync("pong");
        await client.SendTextAsync("");
        var error = await client.ExpectTypeAsync("error");
        await client.SendAsync(new { type = "ping", id = "after" });
        var after = await client.ExpectTypeAsync("pong");

        pong.GetProperty("reply_to").GetString().ShouldBe("frag");
        error.GetProperty("error_code").GetString().ShouldBe("FORMAT_ERROR");
        after.GetProperty("reply_to").GetString().ShouldBe("after");
    }

    [Theory]
    [InlineData("""{"type":"user_message","content":"cut costs","id":1}""")]
    [InlineData("""{"type":"message","message":"cut costs","id":1}""")]
    [InlineData("""{"type":"chat_message","text":"cut costs","id":1}""")]
    [InlineData("""{"type":"chat","input":"cut costs","id":1}""")]
    [InlineData("""{"type":"start_agent","payload":{"content":"cut costs","agent_type":"optimization_agent"},"id":1}""")]
    [InlineData("""{"type":"execute_agent","payload":{"user_request":"cut costs"},"agent":"triage","id":1,"user_id":"mallory"}""")]
    public async Task A_message_in_any_accepted_shape_gets_run_accepted_then_the_whole_run(string frame)
    {
        await using var server = await GatewayHarness.StartAsync();
        await using var client = await WsClient.OpenAsync(server.BaseAddress, Alice);

        await client.SendTextAsync(frame);
        var accepted = await client.ReceiveAsync();
        var completed = await client.ExpectTypeAsync("agent_completed");

        accepted!.Value.GetProperty("type").GetString().ShouldBe("run_accepted", "run_accepted comes before any event of the run");
        accepted.Value.GetProperty("reply_to").GetInt32().ShouldBe(1);
        var runId = accepted.Value.GetProperty("run_id").GetString();
        var events = client.Seen.Where(f => f.TryGetProperty("run_id", out var r) && r.GetString() == runId && f.TryGetProperty("seq", out _)).ToList();
        RunInvariants.Violations(events).ShouldBeEmpty();
        completed.GetProperty("response").GetString().ShouldBe("# Report");
        var run = await server.Service<RunService>().GetAsync("alice", runId!, CancellationToken.None);
        run.ShouldNotBeNull("identity comes from the token, never from user_id in the frame");
    }

    [Theory]
    [InlineData("not json at all", "FORMAT_ERROR")]
    [InlineData("[1,2,3]", "FORMAT_ERROR")]
    [InlineData("\"a string\"", "FORMAT_ERROR")]
    [InlineData("{\"id\":5}", "INVALID_MESSAGE")]
    [InlineData("{\"type\":42}", "INVALID_MESSAGE")]
    [InlineData("{\"type\":\"teleport\"}", "UNKNOWN_MESSAGE_TYPE")]
    [InlineData("{\"type\":\"user_message\",\"content\":\"   \"}", "EMPTY_MESSAGE")]
    [InlineData("{\"type\":\"start_agent\",\"content\":\"hi\",\"agent\":\"wizard\"}", "UNKNOWN_AGENT")]
    [InlineData("{\"type\":\"resume\"}", "INVALID_MESSAGE")]
    [InlineData("{\"type\":\"resume\",\"run_id\":\"run_nope\",\"after_seq\":0}", "RUN_NOT_FOUND")]
    [InlineData("{\"type\":\"switch_thread\",\"thread_id\":\"t_missing\"}", "THREAD_NOT_FOUND")]
    [InlineData("{\"type\":\"stop_agent\"}", "NO_ACTIVE_RUN")]
    public async Task Bad_input_gets_an_error_frame_and_the_socket_stays_open(string frame, string code)
    {
        await using var server = await GatewayHarness.StartAsync();
        await using var client = await WsClient.OpenAsync(server.BaseAddress, Alice);

        await client.SendTextAsync(frame);
        var error = await client.ExpectTypeAsync("error");
        await client.SendAsync(new { type = "ping" });
        var pong = await client.ExpectTypeAsync("pong");

        error.GetProperty("error_code").GetString().ShouldBe(code);
        error.GetProperty("message").GetString().ShouldNotBeNullOrWhiteSpace();
        if (code == "UNKNOWN_MESSAGE_TYPE")
        {
            error.GetProperty("message").GetString()!.ShouldContain("teleport");
        }

        pong.ShouldNotBe(default);
        client.Socket.State.ShouldBe(WebSocketState.Open);
    }

    [Fact]
    public async Task Oversize_frames_get_MESSAGE_TOO_LARGE_and_frames_above_the_hard_cap_close_with_1009()
    {
        await using var server = await GatewayHarness.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:HardMessageCap"] = "65536" });
        await using var client = await WsClient.OpenAsync(server.BaseAddress, Alice);

        await client.SendTextAsync(JsonSerializer.Serialize(new { type = "user_message", content = new string('x', 9000) }));
        var tooLarge = await client.ExpectTypeAsync("error");
        await client.SendAsync(new { type = "ping" });
        await client.ExpectTypeAsync("pong");
        await client.SendBytesAsync(Encoding.UTF8.GetBytes(new string('y', 70_000)), WebSocketMessageType.Text);
        var status = await client.ExpectCloseAsync();

        tooLarge.GetProperty("error_code").GetString().ShouldBe("MESSAGE_TOO_LARGE");
        status.ShouldBe(WebSocketCloseStatus.MessageTooBig);
    }

    [Fact]
    public async Task Messages_beyond_the_per_user_rate_get_RATE_LIMITED_with_a_retry_hint()
    {
        await using var server = await GatewayHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Gateway:MessageBurst"] = "2",
            ["Gateway:MessagesPerMinute"] = "1",
        });
        await using var client = await WsClient.OpenAsync(server.BaseAddress, Alice);

        for (var i = 0; i < 3; i++)
        {
            await client.SendAsync(new { type = "user_message", content = $"message {i}", id = i });
        }

        var limited = await client.ExpectAsync(f => f.GetProperty("type").GetString() == "error" && f.GetProperty("reply_to").GetInt32() == 2);

        limited.GetProperty("error_code").GetString().ShouldBe("RATE_LIMITED");
        limited.GetProperty("retry_after_ms").GetInt32().ShouldBeGreaterThan(0);
        await client.SendAsync(new { type = "ping" });
        await client.ExpectTypeAsync("pong");
    }

    [Fact]
    public async Task Seven_sockets_of_one_user_all_get_the_run_and_another_user_gets_nothing()
    {
        await using var server = await GatewayHarness.StartAsync();
        var tabs = new List<WsClient>();
        for (var i = 0; i < 7; i++)
        {
            tabs.Add(await WsClient.OpenAsync(server.BaseAddress, Alice));
        }

        await using var other = await WsClient.OpenAsync(server.BaseAddress, Bob);
        await tabs[0].SendAsync(new { type = "user_message", content = "hello from tab 0" });
        foreach (var tab in tabs)
        {
            var done = await tab.ExpectTypeAsync("agent_completed");
            var events = tab.Seen.Where(f => f.TryGetProperty("seq", out _)).ToList();
            RunInvariants.Violations(events).ShouldBeEmpty();
            done.GetProperty("run_id").GetString().ShouldBe(events[0].GetProperty("run_id").GetString());
        }

        await other.SendAsync(new { type = "ping" });
        await other.ExpectTypeAsync("pong");
        other.Seen.Count(f => f.TryGetProperty("run_id", out _)).ShouldBe(0, "no event of alice's reaches bob");
        foreach (var tab in tabs)
        {
            await tab.DisposeAsync();
        }
    }

    [Fact]
    public async Task Threads_are_switched_listed_and_guarded()
    {
        await using var server = await GatewayHarness.StartAsync();
        await GatewayHarness.AddThreadAsync(server, "bobs-thread", "bob");
        await using var client = await WsClient.OpenAsync(server.BaseAddress, Alice);
        await client.SendAsync(new { type = "user_message", content = "first words", thread_id = "alice-1" });
        await client.ExpectTypeAsync("agent_completed");

        await client.SendAsync(new { type = "switch_thread", thread_id = "alice-1", id = "s" });
        var data = await client.ExpectTypeAsync("thread_data");
        await client.SendAsync(new { type = "get_thread_history", limit = 1 });
        var history = await client.ExpectTypeAsync("thread_history");
        await client.SendAsync(new { type = "switch_thread", thread_id = "bobs-thread" });
        var denied = await client.ExpectTypeAsync("error");
        await client.SendAsync(new { type = "user_message", content = "sneak", thread_id = "bobs-thread" });
        var deniedMessage = await client.ExpectTypeAsync("error");

        data.GetProperty("thread_id").GetString().ShouldBe("alice-1");
        data.GetProperty("title").GetString().ShouldBe("first words");
        data.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()).ShouldBe(["user", "assistant"]);
        history.GetProperty("messages").GetArrayLength().ShouldBe(1);
        history.GetProperty("messages")[0].GetProperty("role").GetString().ShouldBe("assistant");
        denied.GetProperty("error_code").GetString().ShouldBe("THREAD_ACCESS_DENIED");
        deniedMessage.GetProperty("error_code").GetString().ShouldBe("THREAD_ACCESS_DENIED");
    }

    [Fact]
    public async Task A_client_that_reconnects_resumes_without_gap_or_duplicate_and_stop_ends_a_run()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await GatewayHarness.StartAsync(new ScriptedPipeline(async (ctx, ct) =>
        {
            for (var i = 0; i < 5; i++)
            {
                await ctx.Emitter.ThinkingAsync("triage", $"before {i}", ct);
            }

            await gate.Task.WaitAsync(ct);
            for (var i = 0; i < 5; i++)
            {
                await ctx.Emitter.ThinkingAsync("triage", $"after {i}", ct);
            }

            await Task.Delay(Timeout.Infinite, ct);
            return ScriptedPipeline.Done();
        }));
        string runId;
        long lastSeen;
        await using (var first = await WsClient.OpenAsync(server.BaseAddress, Alice))
        {
            await first.SendAsync(new { type = "user_message", content = "long job" });
            runId = (await first.ExpectTypeAsync("run_accepted")).GetProperty("run_id").GetString()!;
            lastSeen = (await first.ExpectAsync(f => f.TryGetProperty("seq", out var s) && s.GetInt64() == 4)).GetProperty("seq").GetInt64();
        }

        await using var second = await WsClient.OpenAsync(server.BaseAddress, Alice);
        gate.SetResult();
        // The run goes on while the client is away: its later events are stored (and published) before the
        // resume arrives, and must reach the new socket only through the resume, in order and once.
        var store = server.Service<RunEventStore>();
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while ((await store.LastAsync(runId, wait.Token))?.Seq < 11)
            {
                await Task.Delay(20, wait.Token);
            }
        }

        await second.SendAsync(new { type = "resume", run_id = runId, after_seq = lastSeen });
        var resumed = new List<long>();
        while (resumed.Count < 7)
        {
            var frame = await second.ExpectAsync(f => f.TryGetProperty("seq", out _));
            resumed.Add(frame.GetProperty("seq").GetInt64());
        }

        await second.SendAsync(new { type = "stop_agent", run_id = runId, id = "stop" });
        // The stop is written before the handler answers, so agent_stopped and stop_requested may come in either order.
        await second.ExpectAsync(f => f.GetProperty("type").GetString() is "agent_stopped" or "stop_requested");
        await second.ExpectAsync(f => f.GetProperty("type").GetString() is "agent_stopped" or "stop_requested");
        var stopped = second.Seen.Single(f => f.GetProperty("type").GetString() == "agent_stopped");
        var ack = second.Seen.Single(f => f.GetProperty("type").GetString() == "stop_requested");

        resumed.ShouldBe([5L, 6L, 7L, 8L, 9L, 10L, 11L]);
        stopped.GetProperty("seq").GetInt64().ShouldBe(12);
        ack.GetProperty("run_ids")[0].GetString().ShouldBe(runId);
    }

    [Fact]
    public async Task A_slow_consumer_is_closed_with_1013_without_delaying_another_socket()
    {
        const int Deltas = 20_000;
        WsClient? reader = null;
        await using var server = await GatewayHarness.StartAsync(new ScriptedPipeline(async (ctx, ct) =>
        {
            var chunk = new string('z', 400);
            for (var i = 0; i < Deltas; i++)
            {
                await ctx.Emitter.DeltaAsync("reporting", chunk, ct);

                // Bursts, as a streaming model produces them, paced by the reading socket: it stays within 64 events
                // of the run (well inside its queue of 256), however fast or slow this machine is. The other socket
                // reads nothing and falls behind by the whole run.
                while (i - Volatile.Read(ref reader)!.Received > 64)
                {
                    await Task.Delay(1, ct);
                }
            }

            return ScriptedPipeline.Done();
        }), new Dictionary<string, string?>
        {
            ["Gateway:SendQueueFrames"] = "256",
            ["Runs:RunTimeoutSeconds"] = "600",
        });
        await using var slow = await WsClient.OpenAsync(server.BaseAddress, Alice);
        await using var fast = await WsClient.OpenAsync(server.BaseAddress, Alice);
        Volatile.Write(ref reader, fast);

        await fast.SendAsync(new { type = "user_message", content = "flood" });
        var completed = await fast.ExpectTypeAsync("agent_completed", TimeSpan.FromSeconds(120));
        var deltas = fast.Seen.Count(f => f.GetProperty("type").GetString() == "agent_response_delta");
        // A client that reads nothing may have a full TCP buffer, so the close frame (1013) may not fit and the
        // server then cuts the connection: either way the socket ends, having received a gap-free prefix.
        var status = await slow.ExpectCloseAsync(TimeSpan.FromSeconds(60));
        var prefix = slow.Seen.Where(f => f.TryGetProperty("seq", out _)).Select(f => f.GetProperty("seq").GetInt64()).ToList();

        deltas.ShouldBe(Deltas, "the reading socket got every event");
        completed.GetProperty("seq").GetInt64().ShouldBe(Deltas + 2);
        (status is null || status == GatewayConnectionStatus.SlowConsumer).ShouldBeTrue($"closed with {status}");
        prefix.Count.ShouldBeLessThan(Deltas + 2, "the slow socket was cut before the end");
        prefix.ShouldBe(Enumerable.Range(1, prefix.Count).Select(i => (long)i).ToList(), "what it got has no gap");

        await using var again = await WsClient.OpenAsync(server.BaseAddress, Alice);
        await again.SendAsync(new { type = "resume", run_id = completed.GetProperty("run_id").GetString(), after_seq = prefix.Count });
        await again.ExpectTypeAsync("agent_completed", TimeSpan.FromSeconds(60));
        var rest = again.Seen.Where(f => f.TryGetProperty("seq", out _)).Select(f => f.GetProperty("seq").GetInt64()).ToList();
        rest.ShouldBe(Enumerable.Range(prefix.Count + 1, Deltas + 2 - prefix.Count).Select(i => (long)i).ToList(), "resume delivers the rest");
    }

    [Fact]
    public async Task Draining_sends_server_shutdown_then_closes_with_1001()
    {
        await using var server = await GatewayHarness.StartAsync();
        await using var client = await WsClient.OpenAsync(server.BaseAddress, Alice);

        var stopping = server.App.StopAsync(CancellationToken.None);
        var shutdown = await client.ExpectTypeAsync("server_shutdown");
        var status = await client.ExpectCloseAsync();
        await stopping;

        shutdown.GetProperty("drain_seconds").GetInt32().ShouldBe(10);
        status.ShouldBe(WebSocketCloseStatus.EndpointUnavailable);
    }

    [Fact]
    public async Task A_client_that_reconnects_as_soon_as_it_is_told_of_the_shutdown_is_refused_with_503()
    {
        await using var server = await GatewayHarness.StartAsync();
        await using var client = await WsClient.OpenAsync(server.BaseAddress, Alice);

        var stopping = server.App.StopAsync(CancellationToken.None);
        await client.ExpectTypeAsync("server_shutdown");
        var (status, headers, body) = await RawHandshake.SendAsync(server, new Dictionary<string, string> { ["Authorization"] = "Bearer " + Alice });
        await client.ExpectCloseAsync();
        await stopping;

        status.ShouldBe(503, "the node turns to draining before it tells its sockets");
        headers.ShouldContainKey("Retry-After");
        body.ShouldContain("\"error_code\":\"SERVICE_DRAINING\"");
    }

    [Fact]
    public async Task Frame_types_no_handler_knows_are_counted_as_unknown_and_name_no_metric()
    {
        await using var server = await GatewayHarness.StartAsync();
        await using var client = await WsClient.OpenAsync(server.BaseAddress, Alice);

        for (var i = 0; i < 5; i++)
        {
            await client.SendAsync(new { type = $"junk_{i}" });
            (await client.ExpectTypeAsync("error")).GetProperty("error_code").GetString().ShouldBe("UNKNOWN_MESSAGE_TYPE");
        }

        await client.SendAsync(new { type = "ping" });
        await client.ExpectTypeAsync("pong");
        var metrics = await server.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);

        metrics.ShouldContain("meridian_ws_frames_received_total{type=\"unknown\"} 5");
        metrics.ShouldContain("meridian_ws_frames_received_total{type=\"ping\"} 1");
        metrics.ShouldNotContain("junk_");
    }

    [Fact]
    public async Task Frames_beyond_the_flood_limit_get_RATE_LIMITED_with_their_id_and_the_socket_stays_open()
    {
        await using var server = await GatewayHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Gateway:FrameBurst"] = "3",
            ["Gateway:FramesPerSecond"] = "1",
        });
        await using var client = await WsClient.OpenAsync(server.BaseAddress, Alice);

        for (var i = 0; i < 6; i++)
        {
            await client.SendAsync(new { type = "ping", id = $"f-{i}" });
        }

        var limited = await client.ExpectAsync(f => f.GetProperty("type").GetString() == "error");

        limited.GetProperty("error_code").GetString().ShouldBe("RATE_LIMITED");
        limited.GetProperty("reply_to").GetString()!.ShouldStartWith("f-");
        limited.GetProperty("retry_after_ms").GetInt32().ShouldBeGreaterThan(0);
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        await client.SendAsync(new { type = "ping", id = "later" });
        (await client.ExpectAsync(f => f.TryGetProperty("reply_to", out var r) && r.GetString() == "later")).GetProperty("type").GetString().ShouldBe("pong");
    }

    [Fact]
    public async Task A_resume_whose_stored_events_cannot_be_read_gets_RESUME_FAILED_and_the_socket_stays_open()
    {
        await using var server = await GatewayHarness.StartAsync();
        await using var client = await WsClient.OpenAsync(server.BaseAddress, Alice);
        await client.SendAsync(new { type = "user_message", content = "hello" });
        var accepted = await client.ExpectTypeAsync("run_accepted");
        await client.ExpectTypeAsync("agent_completed");
        await using (var connection = await server.Service<Meridian.Server.Storage.Database>().OpenWriterAsync(TestContext.Current.CancellationToken))
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "ALTER TABLE run_events RENAME TO run_events_unreadable");
        }

        await client.SendAsync(new { type = "resume", run_id = accepted.GetProperty("run_id").GetString(), after_seq = 0, id = "r-1" });
        var failed = await client.ExpectTypeAsync("error");

        failed.GetProperty("error_code").GetString().ShouldBe("RESUME_FAILED");
        failed.GetProperty("reply_to").GetString().ShouldBe("r-1");
        await client.SendAsync(new { type = "ping" });
        await client.ExpectTypeAsync("pong");
    }
}

internal static class GatewayConnectionStatus
{
    public const WebSocketCloseStatus SlowConsumer = (WebSocketCloseStatus)1013;
}
