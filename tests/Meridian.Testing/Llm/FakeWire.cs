using System.Text.Json;

namespace Meridian.Testing.Llm;

/// <summary>The bodies and events the fake providers send, shaped like the real providers' (OpenAI chat
/// completions, Anthropic Messages), including the parts a client must skip (role chunks, pings, block starts).</summary>
internal static class FakeWire
{
    /// <summary>Events of a stream before its first text piece: OpenAI's role chunk; Anthropic's message start,
    /// block start and ping.</summary>
    public const int OpenAiPreamble = 1;

    public const int AnthropicPreamble = 3;

    public static object OpenAiAnswer(Answer a) => new
    {
        id = "chatcmpl-1",
        @object = "chat.completion",
        model = a.Model,
        choices = new[] { new { index = 0, message = new { role = "assistant", content = a.Text }, finish_reason = "stop" } },
        usage = new { prompt_tokens = a.InputTokens, completion_tokens = a.OutputTokens, total_tokens = a.InputTokens + a.OutputTokens },
    };

    public static IEnumerable<(string? Type, string Data)> OpenAiStart(string firstPiece)
    {
        yield return (null, Json(OpenAiChunk("test-model-2025-01-01", new { role = "assistant", content = "" }, null)));
        yield return (null, Json(OpenAiChunk("test-model-2025-01-01", new { content = firstPiece }, null)));
    }

    public static IEnumerable<(string? Type, string Data)> OpenAiStream(Answer a)
    {
        yield return (null, Json(OpenAiChunk(a.Model, new { role = "assistant", content = "" }, null)));
        foreach (var piece in a.Pieces)
        {
            yield return (null, Json(OpenAiChunk(a.Model, new { content = piece }, null)));
        }

        yield return (null, Json(OpenAiChunk(a.Model, new { }, "stop")));
        yield return (null, Json(new
        {
            id = "chatcmpl-1",
            @object = "chat.completion.chunk",
            model = a.Model,
            choices = Array.Empty<object>(),
            usage = new { prompt_tokens = a.InputTokens, completion_tokens = a.OutputTokens, total_tokens = a.InputTokens + a.OutputTokens },
        }));
        yield return (null, "[DONE]");
    }

    public static object AnthropicAnswer(Answer a) => new
    {
        id = "msg_1",
        type = "message",
        role = "assistant",
        model = a.Model,
        content = new[] { new { type = "text", text = a.Text } },
        stop_reason = "end_turn",
        usage = new { input_tokens = a.InputTokens, output_tokens = a.OutputTokens },
    };

    public static IEnumerable<(string? Type, string Data)> AnthropicStart(string firstPiece)
    {
        yield return ("message_start", Json(MessageStart("test-model-2025-01-01", 1000)));
        yield return ("content_block_delta", Json(TextDelta(firstPiece)));
    }

    public static IEnumerable<(string? Type, string Data)> AnthropicStream(Answer a)
    {
        yield return ("message_start", Json(MessageStart(a.Model, a.InputTokens)));
        yield return ("content_block_start", Json(new { type = "content_block_start", index = 0, content_block = new { type = "text", text = "" } }));
        yield return ("ping", Json(new { type = "ping" }));
        foreach (var piece in a.Pieces)
        {
            yield return ("content_block_delta", Json(TextDelta(piece)));
        }

        yield return ("content_block_stop", Json(new { type = "content_block_stop", index = 0 }));
        yield return ("message_delta", Json(new
        {
            type = "message_delta",
            delta = new { stop_reason = "end_turn", stop_sequence = (string?)null },
            usage = new { output_tokens = a.OutputTokens },
        }));
        yield return ("message_stop", Json(new { type = "message_stop" }));
    }

    private static object OpenAiChunk(string model, object delta, string? finish) => new
    {
        id = "chatcmpl-1",
        @object = "chat.completion.chunk",
        model,
        choices = new[] { new { index = 0, delta, finish_reason = finish } },
    };

    private static object MessageStart(string model, int inputTokens) => new
    {
        type = "message_start",
        message = new
        {
            id = "msg_1",
            type = "message",
            role = "assistant",
            model,
            content = Array.Empty<object>(),
            stop_reason = (string?)null,
            usage = new { input_tokens = inputTokens, output_tokens = 1 },
        },
    };

    private static object TextDelta(string text) => new { type = "content_block_delta", index = 0, delta = new { type = "text_delta", text } };

    private static string Json(object value) => JsonSerializer.Serialize(value);
}
