using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Meridian.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Meridian.Tests.Gateway;

/// <summary>Thousands of random frames on one socket: every answer is a well-formed frame, the socket stays open,
/// and the server logs no fault.</summary>
public sealed class FuzzTests
{
    private static readonly string[] Types =
        ["ping", "heartbeat", "auth", "user_message", "message", "chat", "start_agent", "stop_agent", "resume", "switch_thread",
         "get_thread_history", "get_agent_status", "", "PING", "💥", "system_message", "error"];

    private static readonly string[] Fields = ["type", "id", "content", "message", "text", "input", "payload", "thread_id", "run_id", "after_seq", "agent", "token", "limit", "user_id"];

    [Fact]
    public async Task Random_frames_never_break_the_socket_or_the_server()
    {
        var logs = new LogRecorder();
        await using var server = await GatewayHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Gateway:FramesPerSecond"] = "100000",
            ["Gateway:FrameBurst"] = "100000",
        }, services: s => s.AddSingleton<ILoggerProvider>(logs));
        await using var client = await WsClient.ConnectAsync(server, bearer: GatewayHarness.Token("fuzzer"));
        await client.ExpectTypeAsync("system_message");
        var random = new Random(1121);
        using var synced = new SemaphoreSlim(0);

        var reading = Task.Run(async () =>
        {
            while (true)
            {
                var frame = await client.ReceiveAsync(TimeSpan.FromSeconds(60)) ?? throw new InvalidOperationException($"closed with {client.Socket.CloseStatus}");
                frame.ValueKind.ShouldBe(JsonValueKind.Object);
                frame.GetProperty("type").ValueKind.ShouldBe(JsonValueKind.String);
                if (frame.GetProperty("type").GetString() == "error")
                {
                    frame.GetProperty("error_code").GetString()!.ShouldMatch("^[A-Z_]+$");
                }

                if (frame.TryGetProperty("reply_to", out var r) && r.ValueKind == JsonValueKind.String && r.GetString()!.StartsWith("sync-", StringComparison.Ordinal))
                {
                    synced.Release();
                    if (r.GetString() == "sync-end")
                    {
                        return;
                    }
                }
            }
        }, TestContext.Current.CancellationToken);

        for (var i = 1; i <= 3000; i++)
        {
            var (bytes, type) = RandomFrame(random);
            await client.SendBytesAsync(bytes, type);
            if (i % 100 == 0)
            {
                // Fuzzing probes content, not throughput: let the answers catch up so the socket is not a slow consumer.
                await client.SendAsync(new { type = "ping", id = $"sync-{i}" });
                (await synced.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken)).ShouldBeTrue();
            }
        }

        await client.SendAsync(new { type = "ping", id = "sync-end" });
        await reading.WaitAsync(TimeSpan.FromSeconds(120), TestContext.Current.CancellationToken);

        client.Socket.State.ShouldBe(WebSocketState.Open);
        logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Category}: {e.Message} {e.Exception}").ShouldBeEmpty();
    }

    private static (byte[] Bytes, WebSocketMessageType Type) RandomFrame(Random random)
    {
        switch (random.Next(11))
        {
            case 0:
                // Random bytes go as binary frames: as text, invalid UTF-8 is a WebSocket protocol error (1007).
                var noise = new byte[random.Next(0, 600)];
                random.NextBytes(noise);
                return (noise, WebSocketMessageType.Binary);
            case 9:
                var garbage = new string(Enumerable.Range(0, random.Next(0, 300)).Select(_ => (char)random.Next(32, 0xD7FF)).ToArray());
                return (Encoding.UTF8.GetBytes(garbage), WebSocketMessageType.Text);
            case 1:
                return (Encoding.UTF8.GetBytes(new string('[', random.Next(60, 400)) + new string(']', random.Next(0, 400))), WebSocketMessageType.Text);
            case 2:
                return (Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type = "user_message", content = new string('x', random.Next(7000, 12000)) })), WebSocketMessageType.Text);
            default:
                var frame = new Dictionary<string, object?>();
                for (var f = random.Next(0, 6); f > 0; f--)
                {
                    frame[Fields[random.Next(Fields.Length)]] = RandomValue(random, depth: 0);
                }

                if (random.Next(3) > 0)
                {
                    frame["type"] = random.Next(6) == 0 ? RandomValue(random, 0) : Types[random.Next(Types.Length)];
                }

                return (Encoding.UTF8.GetBytes(JsonSerializer.Serialize(frame)), WebSocketMessageType.Text);
        }
    }

    private static object? RandomValue(Random random, int depth) => random.Next(depth > 3 ? 5 : 8) switch
    {
        0 => null,
        1 => random.Next(-5, 1_000_000),
        2 => random.NextDouble() * 1e6,
        3 => random.Next(2) == 0,
        4 => new string((char)random.Next(32, 0x2FFF), random.Next(0, 50)),
        5 => Enumerable.Range(0, random.Next(0, 4)).Select(_ => RandomValue(random, depth + 1)).ToArray(),
        6 => Enumerable.Range(0, random.Next(0, 4)).ToDictionary(k => Fields[random.Next(Fields.Length)] + k, _ => RandomValue(random, depth + 1)),
        _ => "run_" + random.Next(100),
    };

    [Fact]
    public async Task A_text_frame_that_is_not_UTF_8_is_a_protocol_error_closed_with_1007()
    {
        await using var server = await GatewayHarness.StartAsync();
        await using var client = await WsClient.ConnectAsync(server, bearer: GatewayHarness.Token("fuzzer"));
        await client.ExpectTypeAsync("system_message");

        await client.SendBytesAsync([0xff, 0xfe, 0x7b], WebSocketMessageType.Text);

        (await client.ExpectCloseAsync()).ShouldBe(WebSocketCloseStatus.InvalidPayloadData);
    }
}
