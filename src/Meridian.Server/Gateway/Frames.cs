using System.Buffers;
using System.Text.Json;
using Meridian.Server.Errors;
using Meridian.Server.Http;

namespace Meridian.Server.Gateway;

/// <summary>Builds the server's own frames (run events arrive already serialised). Every frame is a JSON object
/// with <c>type</c> and <c>timestamp</c>; a direct answer carries the client's <c>id</c> as <c>reply_to</c>.</summary>
internal static class Frames
{
    public static byte[] Build(string type, JsonElement? replyTo, Action<Utf8JsonWriter>? fields = null)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            w.WriteString("timestamp", UtcTimestampConverter.ToText(DateTimeOffset.UtcNow));
            fields?.Invoke(w);
            if (replyTo is { } id)
            {
                w.WritePropertyName("reply_to");
                id.WriteTo(w);
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Error(ErrorCode code, string message, JsonElement? replyTo = null, int? retryAfterMs = null) =>
        Build("error", replyTo, w =>
        {
            w.WriteString("error_code", code.Code);
            w.WriteString("message", message);
            if (retryAfterMs is { } ms)
            {
                w.WriteNumber("retry_after_ms", ms);
            }
        });

    /// <summary>The top-level <c>id</c> (string or number) of a frame that is otherwise not read, such as one
    /// refused by the flood limit or for a string no .NET string can hold, or null.</summary>
    public static JsonElement? IdOf(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("id"u8);
                reader.Read();
                if (isId)
                {
                    if (reader.TokenType == JsonTokenType.String && reader.ValueIsEscaped)
                    {
                        reader.GetString(); // throws for an id no string can hold (a lone surrogate)
                    }

                    return reader.TokenType is JsonTokenType.String or JsonTokenType.Number ? JsonElement.ParseValue(ref reader) : null;
                }

                reader.Skip();
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON, or an id that cannot be read: no id to echo.
        }

        return null;
    }

    /// <summary>Any object as fields of a frame, in the API's JSON conventions.</summary>
    public static void Object(Utf8JsonWriter w, string name, object value)
    {
        w.WritePropertyName(name);
        JsonSerializer.Serialize(w, value, Json.Options);
    }
}
