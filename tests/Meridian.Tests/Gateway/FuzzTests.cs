using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Meridian.Server.Runs;
using Meridian.Tests.Infrastructure;
using Meridian.Tests.Runs;
using Microsoft.Extensions.Logging;

namespace Meridian.Tests.Gateway;

/// <summary>Thousands of random frames on one socket: every answer is a well-formed frame, every frame gets its
/// answer, the socket stays open (until a frame above the hard cap), and the server logs no fault.</summary>
public sealed partial class FuzzTests
{
    /// <summary>Fixed, so a failure replays; set MERIDIAN_FUZZ_SEED to explore other sequences.</summary>
    private const int DefaultSeed = 1121;
    private const int FrameCount = 3000;
    private const int BatchSize = 50;
    private const int MaxMessageSize = 8192;
    private const int HardCap = 1024 * 1024;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private static readonly string[] RunTypes = ["user_message", "message", "chat_message", "chat", "start_agent", "execute_agent"];

    private static readonly string[] Types =
        [.. RunTypes, "ping", "heartbeat", "auth", "stop_agent", "resume", "switch_thread", "get_thread_history", "get_agent_status",
         "PING", "💥", "system_message", "error", "run_accepted", " ping", "ping ", "user-message", new string('q', 70), string.Concat(Enumerable.Repeat("😀", 40))];

    private static readonly string[] Fields = ["content", "message", "text", "input", "payload", "thread_id", "run_id", "after_seq", "agent", "token", "limit", "user_id", "data", "reply_to"];

    private static readonly Dictionary<string, string[]> Relevant = new(StringComparer.Ordinal)
    {
        ["user_message"] = ["content", "thread_id"],
        ["message"] = ["message", "thread_id"],
        ["chat_message"] = ["text", "payload"],
        ["chat"] = ["input", "thread_id"],
        ["start_agent"] = ["content", "agent", "thread_id"],
        ["execute_agent"] = ["payload", "agent"],
        ["auth"] = ["token"],
        ["stop_agent"] = ["run_id"],
        ["resume"] = ["run_id", "after_seq"],
        ["switch_thread"] = ["thread_id"],
        ["get_thread_history"] = ["thread_id", "limit"],
    };

    private static readonly string[] Agents = ["supervisor", "triage", "data", "data_helper", "reporting", "optimization_agent", "unified_data_agent", "no_such_agent", ""];

    private static readonly string[] ThreadIds = ["t-1", "t-2", "t_3", "bobs-thread", "bad id!", "", new string('t', 129), "😀😀"];

    /// <summary>The documented direct answers (docs/protocol.md#3-frames) to a well-formed frame of each type: a frame
    /// type, or "error:CODE". Run ids and thread ids in these frames are made up, so a resume never succeeds (a
    /// resume that succeeds is answered by the run's events, which carry no reply_to).</summary>
    private static readonly Dictionary<string, string[]> Answers = new(StringComparer.Ordinal)
    {
        ["ping"] = ["pong"],
        ["heartbeat"] = ["heartbeat_ack"],
        ["auth"] = ["error:INVALID_TOKEN", "error:TOKEN_EXPIRED"],
        ["stop_agent"] = ["stop_requested", "error:NO_ACTIVE_RUN"],
        ["resume"] = ["error:INVALID_MESSAGE", "error:RUN_NOT_FOUND"],
        ["switch_thread"] = ["thread_data", "error:INVALID_MESSAGE", "error:THREAD_NOT_FOUND", "error:THREAD_ACCESS_DENIED"],
        ["get_thread_history"] = ["thread_history", "error:INVALID_MESSAGE", "error:THREAD_NOT_FOUND", "error:THREAD_ACCESS_DENIED"],
        ["get_agent_status"] = ["agent_status"],
    };

    private static readonly string[] RunAnswers =
        ["run_accepted", "error:RATE_LIMITED", "error:EMPTY_MESSAGE", "error:MESSAGE_TOO_LONG", "error:UNKNOWN_AGENT", "error:INVALID_THREAD_ID", "error:THREAD_ACCESS_DENIED"];

    private static readonly HashSet<string> RunEventTypeNames =
    [
        RunEventTypes.AgentStarted, RunEventTypes.SubagentStarted, RunEventTypes.AgentThinking, RunEventTypes.ToolExecuting,
        RunEventTypes.ToolCompleted, RunEventTypes.SubagentCompleted, RunEventTypes.AgentResponseDelta, RunEventTypes.AgentCompleted,
        RunEventTypes.AgentFailed, RunEventTypes.AgentStopped,
    ];

    private static readonly JsonSerializerOptions RawUtf8 = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")]
    private static partial Regex TimestampFormat();

    [GeneratedRegex("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")]
    private static partial Regex UpperSnake();

    /// <summary>What one client frame must be answered with.</summary>
    /// <param name="IdKey">The frame's id (see <see cref="Key"/>) when it is a JSON object the server can read: it
    /// gets exactly one answer with that reply_to, one of <paramref name="Allowed"/>.</param>
    /// <param name="UnreadCode">For a frame the server cannot read (binary, not JSON, not an object, too deep, too
    /// large): the error it gets. Such a frame may carry an id (<paramref name="IdKey"/>); the docs do not say whether
    /// it is echoed, so its error may come with that reply_to or with none, but with no other.</param>
    private sealed record Probe(string What, byte[] Bytes, WebSocketMessageType Kind, string? IdKey, string[]? Allowed, string? UnknownType, string? UnreadCode);

    [Fact]
    public async Task Random_frames_are_each_answered_with_a_well_formed_frame_and_never_break_the_socket_or_the_server()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MERIDIAN_FUZZ_SEED"), out var s) ? s : DefaultSeed;
        var logs = new LogRecorder();
        await using var server = await GatewayHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            // The flood and message limits are tested elsewhere; here every frame reaches its handler (a run-starting
            // frame may still be refused by the per-user concurrency limit, as RATE_LIMITED with its reply_to).
            ["Gateway:FramesPerSecond"] = "100000",
            ["Gateway:FrameBurst"] = "100000",
            ["Gateway:MessagesPerMinute"] = "100000",
            ["Gateway:MessageBurst"] = "100000",
        }, services: services => services.AddSingleton<ILoggerProvider>(logs));
        await GatewayHarness.AddThreadAsync(server, "bobs-thread", "bob");
        await using var client = await WsClient.ConnectAsync(server.BaseAddress, bearer: GatewayHarness.Token("fuzzer"));
        var welcome = await client.ExpectTypeAsync("system_message");
        welcome.GetProperty("data").GetProperty("config").GetProperty("max_message_size").GetInt32().ShouldBe(MaxMessageSize);

        var random = new Random(seed);
        var runs = new Dictionary<string, List<JsonElement>>(StringComparer.Ordinal);
        var accepted = new List<string>();
        var stats = new Dictionary<string, int>(StringComparer.Ordinal);
        var sent = 0;
        var batch = 0;
        Probe? last = null;
        try
        {
            while (sent < FrameCount)
            {
                batch++;
                var probes = batch == 1 ? BoundaryProbes(random) : [];
                while (probes.Count < BatchSize)
                {
                    probes.Add(RandomProbe(random, $"b{batch}.{probes.Count}"));
                }

                foreach (var probe in probes)
                {
                    last = probe;
                    await client.SendBytesAsync(probe.Bytes, probe.Kind);
                }

                sent += probes.Count;
                await CheckAnswersAsync(client, probes, $"sync-{batch}", runs, accepted, stats);
                client.Socket.State.ShouldBe(WebSocketState.Open);
            }

            // Every run the fuzz started ends, and its events reached this socket whole and in order.
            foreach (var runId in accepted)
            {
                while (!runs.TryGetValue(runId, out var events) || !events.Any(e => RunEventTypes.IsTerminal(e.GetProperty("type").GetString()!)))
                {
                    CheckUnsolicited(await client.ReceiveAsync(Generous) ?? throw new InvalidOperationException("closed while waiting for runs to end"), runs, null);
                }

                RunInvariants.Violations(runs[runId]).ShouldBeEmpty($"run {runId}");
            }

            // The one way a frame closes the socket: above the hard cap, MESSAGE_TOO_LARGE then 1009.
            last = new Probe("above the hard cap", Encoding.UTF8.GetBytes(new string('z', HardCap + 1)), WebSocketMessageType.Text, null, null, null, "MESSAGE_TOO_LARGE");
            await client.SendBytesAsync(last.Bytes, last.Kind);
            var tooLarge = await client.ExpectAsync(f => !IsRunEvent(f), Generous);
            CheckShape(tooLarge);
            tooLarge.GetProperty("error_code").GetString().ShouldBe("MESSAGE_TOO_LARGE");
            (await client.ExpectCloseAsync(Generous)).ShouldBe(WebSocketCloseStatus.MessageTooBig);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException(
                $"Fuzz failed (seed {seed}, batch {batch}, {sent} frames sent; last frame: {last?.What} {Preview(last)}): {ex.Message}", ex);
        }

        Faults(logs).ShouldBeEmpty($"seed {seed}");
        sent.ShouldBeGreaterThanOrEqualTo(FrameCount);
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}: {sent} frames, {accepted.Count} runs; answers: {string.Join(", ", stats.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))}");
    }

    /// <summary>Sends a ping after the batch and reads until its pong. The socket handles its frames one after the
    /// other and queues each direct answer before it reads the next frame, so by then every answer of the batch has
    /// arrived. Checks that each readable frame got exactly one allowed answer with its reply_to, and that the frames
    /// the server cannot read got exactly their errors.</summary>
    private static async Task CheckAnswersAsync(
        WsClient client, List<Probe> probes, string syncId, Dictionary<string, List<JsonElement>> runs, List<string> accepted, Dictionary<string, int> stats)
    {
        await client.SendAsync(new { type = "ping", id = syncId });
        var byId = probes.Where(p => p.IdKey is not null).ToDictionary(p => p.IdKey!, StringComparer.Ordinal);
        var answered = new HashSet<string>(StringComparer.Ordinal);
        var unreadWithoutReply = new List<string>();
        while (true)
        {
            var frame = await client.ReceiveAsync(Generous) ?? throw new InvalidOperationException($"closed with {client.Socket.CloseStatus}");
            CheckShape(frame);
            if (!frame.TryGetProperty("reply_to", out var replyTo))
            {
                if (CheckUnsolicited(frame, runs, unreadWithoutReply))
                {
                    continue;
                }

                throw new InvalidOperationException($"an unexpected frame without reply_to: {frame}");
            }

            var key = Key(replyTo);
            if (key == Key(JsonSerializer.SerializeToElement(syncId)))
            {
                frame.GetProperty("type").GetString().ShouldBe("pong");
                break;
            }

            byId.TryGetValue(key, out var probe).ShouldBeTrue($"an answer with reply_to {replyTo} answers no frame of this batch: {frame}");
            answered.Add(key).ShouldBeTrue($"a second answer to {probe!.What}: {frame}");
            var answer = Answer(frame);
            stats[answer] = stats.GetValueOrDefault(answer) + 1;
            if (probe.UnreadCode is { } code)
            {
                answer.ShouldBe("error:" + code, $"{probe.What}: {frame}");
                continue;
            }

            probe.Allowed!.ShouldContain(answer, $"{probe.What} {Preview(probe)} got {frame}");
            if (probe.UnknownType is { } unknown && Named(unknown) is { } named)
            {
                frame.GetProperty("message").GetString()!.ShouldContain(named, Case.Sensitive, $"UNKNOWN_MESSAGE_TYPE names the type: {frame}");
            }

            if (answer == "run_accepted")
            {
                var runId = frame.GetProperty("run_id").GetString()!;
                runId.ShouldStartWith("run_");
                frame.GetProperty("thread_id").GetString().ShouldNotBeNullOrEmpty();
                accepted.Add(runId);
            }
        }

        var missing = byId.Values.Where(p => p.UnreadCode is null && !answered.Contains(p.IdKey!)).Select(p => $"{p.What} {Preview(p)}").ToList();
        missing.ShouldBeEmpty("frames with an id that got no answer");
        var expectedUnread = probes.Where(p => p.UnreadCode is not null && (p.IdKey is null || !answered.Contains(p.IdKey))).Select(p => p.UnreadCode!).Order().ToList();
        unreadWithoutReply.Order().ToList().ShouldBe(expectedUnread, "one error per frame the server cannot read, of the right code");
        foreach (var code in unreadWithoutReply)
        {
            stats["unread error:" + code] = stats.GetValueOrDefault("unread error:" + code) + 1;
        }
    }

    /// <summary>A frame with no reply_to: a run event (kept by run), the idle heartbeat, or the error of a frame
    /// the server could not read (its code added to <paramref name="unread"/>). False for anything else.</summary>
    private static bool CheckUnsolicited(JsonElement frame, Dictionary<string, List<JsonElement>> runs, List<string>? unread)
    {
        CheckShape(frame);
        var type = frame.GetProperty("type").GetString()!;
        if (IsRunEvent(frame))
        {
            var runId = frame.GetProperty("run_id").GetString()!;
            (runs.TryGetValue(runId, out var events) ? events : runs[runId] = []).Add(frame);
            return true;
        }

        if (type == "heartbeat")
        {
            return true;
        }

        if (type == "error" && unread is not null)
        {
            unread.Add(frame.GetProperty("error_code").GetString()!);
            return true;
        }

        return false;
    }

    private static bool IsRunEvent(JsonElement frame) =>
        RunEventTypeNames.Contains(frame.GetProperty("type").GetString()!) && frame.TryGetProperty("run_id", out _) && frame.TryGetProperty("seq", out _);

    /// <summary>docs/protocol.md#3-frames: a JSON object with a string type and a timestamp in the documented format; an error
    /// also has a non-empty UPPER_SNAKE error_code and a non-empty message.</summary>
    private static void CheckShape(JsonElement frame)
    {
        frame.ValueKind.ShouldBe(JsonValueKind.Object, frame.ToString());
        frame.TryGetProperty("type", out var type).ShouldBeTrue($"no type: {frame}");
        type.ValueKind.ShouldBe(JsonValueKind.String, frame.ToString());
        type.GetString().ShouldNotBeNullOrEmpty(frame.ToString());
        frame.TryGetProperty("timestamp", out var timestamp).ShouldBeTrue($"no timestamp: {frame}");
        timestamp.ValueKind.ShouldBe(JsonValueKind.String, frame.ToString());
        timestamp.GetString()!.ShouldMatch(TimestampFormat().ToString(), frame.ToString());
        DateTimeOffset.ParseExact(timestamp.GetString()!, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            .ShouldBeInRange(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), frame.ToString());
        if (type.GetString() == "error")
        {
            frame.TryGetProperty("error_code", out var code).ShouldBeTrue($"no error_code: {frame}");
            code.ValueKind.ShouldBe(JsonValueKind.String, frame.ToString());
            code.GetString()!.ShouldMatch(UpperSnake().ToString(), frame.ToString());
            frame.TryGetProperty("message", out var message).ShouldBeTrue($"no message: {frame}");
            message.ValueKind.ShouldBe(JsonValueKind.String, frame.ToString());
            message.GetString().ShouldNotBeNullOrWhiteSpace(frame.ToString());
        }

        if (frame.TryGetProperty("reply_to", out var replyTo))
        {
            replyTo.ValueKind.ShouldBeOneOf([JsonValueKind.String, JsonValueKind.Number], frame.ToString());
        }
    }

    /// <summary>What an UNKNOWN_MESSAGE_TYPE message must contain of the type: all of it up to 64 characters, else
    /// (the server may shorten it) its first 50 characters, never cutting an emoji in half. Null for a type that is
    /// not valid text itself (a lone surrogate).</summary>
    private static string? Named(string type)
    {
        if (type.EnumerateRunes().Any(r => r == Rune.ReplacementChar))
        {
            return null;
        }

        var cut = 50;
        return type.Length <= 64 ? type : type[..(char.IsHighSurrogate(type[cut - 1]) ? cut - 1 : cut)];
    }

    /// <summary>What the server logged as an error, or with an exception at any level.</summary>
    private static List<string> Faults(LogRecorder logs) =>
        logs.Entries.Where(e => e.Level >= LogLevel.Error || e.Exception is not null)
            .Select(e => $"{e.Level} {e.Category} [{e.EventId.Id}]: {e.Message} {e.Exception?.GetType().Name}: {e.Exception?.Message}").ToList();

    private static string Answer(JsonElement frame) =>
        frame.GetProperty("type").GetString() is "error" ? "error:" + frame.GetProperty("error_code").GetString() : frame.GetProperty("type").GetString()!;

    /// <summary>An id as the client sent it and as reply_to echoes it: strings by value, numbers by their text.</summary>
    private static string Key(JsonElement id) => id.ValueKind == JsonValueKind.String ? "s:" + id.GetString() : "n:" + id.GetRawText();

    private static string Preview(Probe? probe)
    {
        if (probe is null)
        {
            return "";
        }

        var text = probe.Kind == WebSocketMessageType.Text ? Encoding.UTF8.GetString(probe.Bytes) : Convert.ToHexString(probe.Bytes.AsSpan(0, Math.Min(probe.Bytes.Length, 40)));
        return $"({probe.Bytes.Length} bytes) " + (text.Length <= 300 ? text : text[..300] + "…");
    }

    /// <summary>The edges, once: exactly the size limit and one byte over it, the 1 MiB hard cap itself (not above
    /// it), a size between the two, nesting of exactly 64 and of 65 levels.</summary>
    private static List<Probe> BoundaryProbes(Random random) =>
    [
        Sized(random, "edge.max", "chat_message", MaxMessageSize),
        Sized(random, "edge.max+1", "execute_agent", MaxMessageSize + 1),
        Sized(random, "edge.512k", "user_message", 512 * 1024),
        Sized(random, "edge.hardcap", "ping", HardCap),
        Nested(random, "edge.depth64", 64),
        Nested(random, "edge.depth65", 65),
        new Probe("edge.empty-text", [], WebSocketMessageType.Text, null, null, null, "FORMAT_ERROR"),
        new Probe("edge.empty-binary", [], WebSocketMessageType.Binary, null, null, null, "FORMAT_ERROR"),
    ];

    private static Probe RandomProbe(Random random, string name)
    {
        switch (random.Next(20))
        {
            case 0:
                // Random bytes go as binary frames: as text, invalid UTF-8 is a WebSocket protocol error (1007).
                var noise = new byte[random.Next(0, 600)];
                random.NextBytes(noise);
                return new Probe(name + " bytes", noise, WebSocketMessageType.Binary, null, null, null, "FORMAT_ERROR");
            case 1:
                var garbage = "#" + RandomText(random, random.Next(0, 300));
                return new Probe(name + " text", Encoding.UTF8.GetBytes(garbage), WebSocketMessageType.Text, null, null, null, "FORMAT_ERROR");
            case 2:
                object? notAnObject = random.Next(6) switch
                {
                    0 => random.Next(),
                    1 => RandomText(random, 20),
                    2 => null,
                    3 => true,
                    4 => new object?[] { new { type = "ping", id = 1 } },
                    _ => Enumerable.Range(0, random.Next(1, 5)).Select(_ => RandomValue(random, 0)).ToArray(),
                };
                return new Probe(name + " non-object", Serialize(random, notAnObject), WebSocketMessageType.Text, null, null, null, "FORMAT_ERROR");
            case 3:
                var brackets = random.Next(65, 2000);
                return new Probe(name + " deep array", Encoding.UTF8.GetBytes(new string('[', brackets) + new string(']', random.Next(0, brackets + 1))), WebSocketMessageType.Text, null, null, null, "FORMAT_ERROR");
            case 4:
                return Nested(random, name + " deep", random.Next(2) == 0 ? random.Next(2, 65) : random.Next(65, 1000));
            case 5:
                return Sized(random, name + " near-limit", Pick(random, RunTypes), random.Next(MaxMessageSize - 300, MaxMessageSize + 1));
            case 6:
                return Sized(random, name + " too-large", Pick(random, Types), random.Next(20) == 0 ? random.Next(MaxMessageSize + 1, HardCap + 1) : random.Next(MaxMessageSize + 1, 4 * MaxMessageSize));
            default:
                return RandomObject(random, name);
        }
    }

    private static Probe RandomObject(Random random, string name)
    {
        var (id, key) = NewId(random, name);
        var fields = new List<KeyValuePair<string, object?>>();
        for (var f = random.Next(0, 6); f > 0; f--)
        {
            var field = Pick(random, Fields);
            fields.Add(new(field, FieldValue(random, field)));
        }

        object? type = random.Next(16) switch
        {
            0 => null,
            1 => RandomValue(random, 0),
            2 => "",
            < 9 => Pick(random, RunTypes),
            _ => Pick(random, Types),
        };
        if (type is string known && Relevant.TryGetValue(known, out var relevant))
        {
            // Mostly the fields the type reads, so the handlers get past their first check.
            foreach (var field in relevant.Where(_ => random.Next(10) < 7))
            {
                fields.Add(new(field, FieldValue(random, field)));
            }
        }

        if (random.Next(10) > 0)
        {
            fields.Insert(random.Next(fields.Count + 1), new("type", type));
        }
        else
        {
            type = null; // no type at all
        }

        fields = fields.DistinctBy(p => p.Key).ToList();
        fields.Insert(random.Next(fields.Count + 1), new("id", id));
        var bytes = Serialize(random, fields.ToDictionary(p => p.Key, p => p.Value));
        if (bytes.Length > MaxMessageSize)
        {
            return new Probe(name + " object", bytes, WebSocketMessageType.Text, key, null, null, "MESSAGE_TOO_LARGE");
        }

        return Expecting(name + " object", bytes, key, type);
    }

    /// <summary>A frame of the given type whose text pads it to exactly <paramref name="bytes"/> bytes.</summary>
    private static Probe Sized(Random random, string name, string type, int bytes)
    {
        var (id, key) = NewId(random, name);
        var head = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object?> { ["id"] = id, ["type"] = type })[..^1] + ",\"content\":\"");
        var text = new StringBuilder();
        var left = bytes - head.Length - 2;
        while (left > 0)
        {
            // Raw UTF-8 of 1 to 4 bytes (no escapes), so the byte count is exact.
            var c = random.Next(4) switch
            {
                0 when left >= 4 => "😀",
                1 when left >= 3 => "€",
                2 when left >= 2 => "é",
                _ => ((char)random.Next('a', 'z' + 1)).ToString(),
            };
            text.Append(c);
            left -= Encoding.UTF8.GetByteCount(c);
        }

        var frame = head.Concat(Encoding.UTF8.GetBytes(text.ToString() + "\"}")).ToArray();
        frame.Length.ShouldBe(bytes);
        return frame.Length > MaxMessageSize
            ? new Probe($"{name} ({bytes} bytes)", frame, WebSocketMessageType.Text, key, null, null, "MESSAGE_TOO_LARGE")
            : Expecting($"{name} ({bytes} bytes)", frame, key, type);
    }

    /// <summary>An object frame with an id and a type and a field nested so that the whole frame is
    /// <paramref name="depth"/> levels deep (the frame itself is the first); deeper than 64 is FORMAT_ERROR.</summary>
    private static Probe Nested(Random random, string name, int depth)
    {
        var (id, key) = NewId(random, name);
        var type = Pick(random, Types);
        var inner = new StringBuilder();
        var closers = new Stack<char>();
        for (var level = 2; level <= depth; level++)
        {
            var isObject = random.Next(2) == 0;
            inner.Append(isObject ? "{\"n\":" : "[");
            closers.Push(isObject ? '}' : ']');
        }

        inner.Append(random.Next(100));
        inner.Append(string.Concat(closers));
        var head = JsonSerializer.Serialize(new Dictionary<string, object?> { ["id"] = id, ["type"] = type })[..^1];
        var bytes = Encoding.UTF8.GetBytes(depth == 1 ? head + "}" : $"{head},\"nested\":{inner}}}");
        return depth > 64
            ? new Probe($"{name} (depth {depth})", bytes, WebSocketMessageType.Text, key, null, null, "FORMAT_ERROR")
            : Expecting($"{name} (depth {depth})", bytes, key, type);
    }

    /// <summary>A readable object frame: its documented answers, by its type.</summary>
    private static Probe Expecting(string what, byte[] bytes, string key, object? type)
    {
        if (type is not string { Length: > 0 } name)
        {
            return new Probe(what, bytes, WebSocketMessageType.Text, key, ["error:INVALID_MESSAGE"], null, null);
        }

        if (RunTypes.Contains(name))
        {
            return new Probe(what, bytes, WebSocketMessageType.Text, key, RunAnswers, null, null);
        }

        return Answers.TryGetValue(name, out var allowed)
            ? new Probe(what, bytes, WebSocketMessageType.Text, key, allowed, null, null)
            : new Probe(what, bytes, WebSocketMessageType.Text, key, ["error:UNKNOWN_MESSAGE_TYPE"], name, null);
    }

    private static int _ids;

    /// <summary>A unique id: a string (sometimes with characters that need escaping) or a number (sometimes
    /// negative, fractional, or beyond a double's exact range).</summary>
    private static (object Id, string Key) NewId(Random random, string name)
    {
        var n = Interlocked.Increment(ref _ids);
        object id = random.Next(6) switch
        {
            0 => n,
            1 => -n,
            2 => n + 0.25m,
            3 => 9_007_199_254_740_993L + n,
            4 => $"ü\"\\ {name} 😀",
            _ => name,
        };
        return (id, Key(JsonSerializer.SerializeToElement(id)));
    }

    private static object? FieldValue(Random random, string field) => random.Next(4) == 0 ? RandomValue(random, 0) : field switch
    {
        "content" or "message" or "text" or "input" => random.Next(8) == 0 ? "   " : RandomText(random, random.Next(0, 200)),
        "thread_id" => Pick(random, ThreadIds),
        "agent" => Pick(random, Agents),
        "payload" => new Dictionary<string, object?>
        {
            ["content"] = random.Next(2) == 0 ? RandomText(random, random.Next(0, 80)) : RandomValue(random, 1),
            ["user_request"] = random.Next(2) == 0 ? RandomText(random, 20) : null,
            ["agent_type"] = random.Next(2) == 0 ? Pick(random, Agents) : RandomValue(random, 1),
            ["thread_id"] = random.Next(2) == 0 ? Pick(random, ThreadIds) : RandomValue(random, 1),
        },
        "run_id" => random.Next(3) == 0 ? string.Concat(Enumerable.Repeat("😀", random.Next(1, 60))) : "run_" + random.Next(100),
        "after_seq" => random.Next(3) switch { 0 => -random.Next(1, 10), 1 => long.MaxValue, _ => random.Next(0, 100) },
        "limit" => random.Next(3) switch { 0 => -5, 1 => int.MaxValue, _ => random.Next(0, 300) },
        "token" => random.Next(2) == 0 ? "not.a.jwt" : RandomText(random, random.Next(0, 100)),
        _ => RandomValue(random, 0),
    };

    private static object? RandomValue(Random random, int depth) => random.Next(depth > 3 ? 6 : 8) switch
    {
        0 => null,
        1 => random.Next(-5, 1_000_000),
        2 => random.NextDouble() * 1e300,
        3 => random.Next(2) == 0,
        4 => RandomText(random, random.Next(0, 50)),
        5 => "run_" + random.Next(100),
        6 => Enumerable.Range(0, random.Next(0, 4)).Select(_ => RandomValue(random, depth + 1)).ToArray(),
        _ => Enumerable.Range(0, random.Next(0, 4)).ToDictionary(k => Pick(random, Fields) + k, _ => RandomValue(random, depth + 1)),
    };

    /// <summary>Text of any kind a client may send: ASCII, control characters, other scripts, emoji (surrogate
    /// pairs, which cutting at a fixed length would split). A lone surrogate here reaches the server as U+FFFD (the
    /// serializer replaces it); escapes of lone surrogates are sent by
    /// <see cref="Escaped_lone_surrogates_in_any_field_are_bad_input_answered_without_a_fault"/>.</summary>
    private static string RandomText(Random random, int length)
    {
        var text = new StringBuilder(length);
        while (text.Length < length)
        {
            switch (random.Next(12))
            {
                case 0:
                    text.Append("😀");
                    break;
                case 1:
                    text.Append((char)random.Next(0, 32));
                    break;
                case 2:
                    text.Append((char)random.Next(0x370, 0xD7FF));
                    break;
                case 3 when random.Next(20) == 0:
                    text.Append((char)random.Next(0xD800, 0xE000));
                    break;
                default:
                    text.Append((char)random.Next(32, 127));
                    break;
            }
        }

        return text.ToString();
    }

    private static byte[] Serialize(Random random, object? value) =>
        JsonSerializer.SerializeToUtf8Bytes(value, random.Next(2) == 0 ? RawUtf8 : JsonSerializerOptions.Default);

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    /// <summary>JSON may escape a lone surrogate (<c>"\ud800"</c>): valid JSON text, but not a valid string. It is
    /// bad input like any other: each such frame gets a documented answer with its reply_to (not INTERNAL_ERROR),
    /// the socket stays open, and nothing is logged as a fault.</summary>
    [Fact]
    public async Task Escaped_lone_surrogates_in_any_field_are_bad_input_answered_without_a_fault()
    {
        var logs = new LogRecorder();
        await using var server = await GatewayHarness.StartAsync(
            settings: new Dictionary<string, string?> { ["Gateway:MessageBurst"] = "100" },
            services: services => services.AddSingleton<ILoggerProvider>(logs));
        string[] frames =
        [
            """{"id":"type","type":"pi\ud800ng"}""",
            """{"id":"content","type":"user_message","content":"cut \ud83d"}""",
            """{"id":"payload","type":"execute_agent","payload":{"content":"x","agent_type":"\udc00"}}""",
            """{"id":"agent","type":"start_agent","content":"x","agent":"tri\ud800age"}""",
            """{"id":"thread","type":"user_message","content":"x","thread_id":"t\ud800"}""",
            """{"id":"switch","type":"switch_thread","thread_id":"\ud800"}""",
            """{"id":"history","type":"get_thread_history","thread_id":"\udfff"}""",
            """{"id":"resume","type":"resume","run_id":"run_\ud800","after_seq":0}""",
            """{"id":"stop","type":"stop_agent","run_id":"\ud800"}""",
            """{"id":"auth","type":"auth","token":"\ud800"}""",
        ];
        var wrong = new List<string>();
        foreach (var frame in frames)
        {
            // A socket per frame, so one failure does not hide the others.
            await using var client = await WsClient.ConnectAsync(server.BaseAddress, bearer: GatewayHarness.Token("fuzzer"));
            await client.ExpectTypeAsync("system_message");
            var id = JsonDocument.Parse(frame).RootElement.GetProperty("id").GetString()!;
            await client.SendTextAsync(frame);
            await client.SendAsync(new { type = "ping", id = "after" });
            var answers = new List<JsonElement>();
            while (await client.ReceiveAsync(Generous) is { } answer)
            {
                CheckShape(answer);
                if (answer.TryGetProperty("reply_to", out var r) && r.ValueKind == JsonValueKind.String && r.GetString() == "after")
                {
                    break;
                }

                if (!IsRunEvent(answer))
                {
                    answers.Add(answer);
                }
            }

            var direct = answers.Where(a => a.TryGetProperty("reply_to", out var r) && r.GetString() == id).ToList();
            if (client.Socket.State != WebSocketState.Open || answers.Count != 1 || direct.Count != 1 || Answer(direct[0]) == "error:INTERNAL_ERROR")
            {
                wrong.Add($"{frame} → {string.Join(" ", answers.Select(a => a.ToString()))}{(client.Socket.State == WebSocketState.Open ? "" : $" then closed {(int?)client.Socket.CloseStatus}")}");
            }
        }

        wrong.ShouldBeEmpty("each frame gets one direct answer (not INTERNAL_ERROR) and the socket stays open");
        Faults(logs).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_text_frame_that_is_not_UTF_8_is_a_protocol_error_closed_with_1007()
    {
        await using var server = await GatewayHarness.StartAsync();
        await using var client = await WsClient.ConnectAsync(server.BaseAddress, bearer: GatewayHarness.Token("fuzzer"));
        await client.ExpectTypeAsync("system_message");

        await client.SendBytesAsync([0xff, 0xfe, 0x7b], WebSocketMessageType.Text);

        (await client.ExpectCloseAsync()).ShouldBe(WebSocketCloseStatus.InvalidPayloadData);
    }
}
